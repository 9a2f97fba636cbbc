using Depin.Ledger;
using Depin.Ledger.Api;
using Depin.Marketplace;
using Depin.ServiceDefaults;

// The marketplace service. With Marketplace:LedgerUrl it talks to a separate ledger service over REST (its write
// credential in Marketplace:LedgerApiKey); without one it runs a ledger in process (Ledger:DataDirectory). With
// ConnectionStrings:postgres its silo joins the cluster there (ADO.NET membership, grain state, reminders); with
// ConnectionStrings:pubsub its events go over Redis Streams (Dapr's wire format).
var builder = WebApplication.CreateBuilder(args);
var ledgerInProcess = string.IsNullOrWhiteSpace(builder.Configuration[$"{MarketplaceOptions.Section}:{nameof(MarketplaceOptions.LedgerUrl)}"]);
builder.AddServiceDefaults();
if (ledgerInProcess)
{
    builder.AddLedger();
}

builder.AddMarketplace();

var app = builder.Build();
app.UseServiceDefaults();
if (ledgerInProcess)
{
    app.MapLedgerApi();
}

app.MapMarketplaceApi();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
