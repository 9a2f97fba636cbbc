using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Marketplace;
using Depin.ServiceDefaults;

// All-in-one marketplace: the ledger in process (durable, Ledger:DataDirectory) and one Orleans silo with localhost
// clustering and in-memory grain storage: marketplace state is lost on restart, ledger balances are not.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLedger();
builder.AddMarketplace();

var app = builder.Build();
app.UseServiceDefaults();
app.MapLedgerApi();
app.MapMarketplaceApi();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
