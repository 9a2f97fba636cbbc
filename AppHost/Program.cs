using Depin.AppHost;
using Depin.Dashboard;
using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLedger();
builder.AddDashboard();
builder.AddAllInOne(args);

var app = builder.Build();
app.UseServiceDefaults();
app.MapLedgerApi();
app.MapDashboard();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
