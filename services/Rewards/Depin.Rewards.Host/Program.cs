using Depin.Ledger;
using Depin.Rewards;
using Depin.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
await Depin.Rewards.Anchoring.DevelopmentContracts.ApplyAsync(builder.Configuration);
builder.AddServiceDefaults();
if (string.IsNullOrWhiteSpace(builder.Configuration["Rewards:LedgerUrl"]))
{
    builder.AddLedger();
}

builder.AddRewards();

var app = builder.Build();
app.UseServiceDefaults();
app.MapRewardsApi();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
