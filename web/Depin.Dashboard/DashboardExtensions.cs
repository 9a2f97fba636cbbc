using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Depin.ServiceDefaults.Admin;
using Depin.ServiceDefaults.Security;

namespace Depin.Dashboard;

/// <summary>The admin dashboard: a static page at /dashboard and its data at /api/admin/overview (admin key required).</summary>
public static class DashboardExtensions
{
    public static TBuilder AddDashboard<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddAdminKey();
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", () => Asset("index.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (string file) => Asset(file, file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css")).ExcludeFromDescription();
        app.MapGet("/api/admin/overview", async (HttpContext context, IEnumerable<IDashboardSource> sources, AdminKey admin, CancellationToken cancellationToken) =>
        {
            if (!admin.IsAuthorized(context))
            {
                return Results.Problem("The dashboard needs the admin API key in X-Api-Key.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
            }

            var sections = new Dictionary<string, object>();
            foreach (var source in sources)
            {
                sections[source.Section] = await source.SnapshotAsync(cancellationToken);
            }

            return Results.Ok(new { generatedAt = DateTimeOffset.UtcNow, sections });
        }).WithTags("Admin").WithName("AdminOverview").WithSummary("Everything the admin dashboard shows.");
        return app;
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Depin.Dashboard.{name}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
