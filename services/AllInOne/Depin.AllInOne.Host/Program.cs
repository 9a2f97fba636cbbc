using Depin.AllInOne;
using Depin.Dashboard;
using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Marketplace;
using Depin.Rewards;
using Depin.ServiceDefaults;
using Depin.ServiceDefaults.Security;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(args);
var startupLogger = LoggerFactory.Create(l => l.AddSimpleConsole()).CreateLogger("Depin.AllInOne");
await using var postgres = OperatingSystem.IsWindows() ? null : await LocalPostgres.StartAsync(builder, startupLogger);
await using var chain = await LocalChain.StartAsync(builder, startupLogger);
builder.AddServiceDefaults();
builder.AddLedger();
builder.AddMarketplace(silo => silo.AddDashboard());
builder.AddRewards();
builder.AddDashboard();
builder.AddAllInOne(args);

var app = builder.Build();
app.UseServiceDefaults();
app.RequireAdminKeyFor("/orleans");
app.MapLedgerApi();
app.MapMarketplaceApi();
app.MapRewardsApi();
app.MapDashboard();
app.MapMarketplaceActivity();
app.MapOrleansDashboard(routePrefix: "/orleans");
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
