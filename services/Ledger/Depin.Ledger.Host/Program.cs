using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLedger();

var app = builder.Build();
app.UseServiceDefaults();
app.MapLedgerApi();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
