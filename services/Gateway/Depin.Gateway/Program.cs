using Depin.Gateway;
using Depin.ServiceDefaults;

// The one public entry point: routes the public routes to their services (found through service discovery:
// services:{name}:http:0, as an Aspire AppHost injects them) and nothing else.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddServiceDiscovery();
builder.Services.AddReverseProxy()
    .LoadFromMemory(GatewayRoutes.Routes, GatewayRoutes.Clusters)
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();
app.UseServiceDefaults();
app.MapReverseProxy(proxy => proxy.UseUnavailableServiceProblems());
app.Run();
