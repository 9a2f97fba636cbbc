using Depin.Marketplace;
using Depin.ServiceDefaults;

// All-in-one marketplace: one Orleans silo with localhost clustering and in-memory grain storage (state is lost on
// restart; plug a durable provider in through AddMarketplace's silo callback). The ledger is reached over HTTP at
// Marketplace:LedgerUrl until the host composes AddLedger() in process.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMarketplace();

var app = builder.Build();
app.UseServiceDefaults();
app.MapMarketplaceApi();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
