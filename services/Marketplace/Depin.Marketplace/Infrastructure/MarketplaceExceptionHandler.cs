using System.Text.Json;
using Depin.Kernels;
using Depin.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Depin.Marketplace.Infrastructure;

/// <summary>
/// Turns exceptions into problem details without internals: bad requests (unreadable JSON, wrong types) are 400,
/// unavailable back ends 503, anything else a plain 500 with the trace id.
/// </summary>
public sealed partial class MarketplaceExceptionHandler(IProblemDetailsService problems, ILogger<MarketplaceExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", Describe(bad)),
            JsonException => (StatusCodes.Status400BadRequest, "Bad request", "The request body is not valid JSON for this endpoint."),
            KernelParameterException kp => (StatusCodes.Status400BadRequest, "Invalid parameters", string.Join("; ", kp.Errors)),
            _ when IsUnavailable(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "A back end (the database, the ledger or the cluster) did not answer; nothing was applied that was not acknowledged. Retry later."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "An unexpected error occurred."),
        };
        if (status >= 500)
        {
            LogUnhandled(httpContext.Request.Path, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>A back end that is down or unreachable, anywhere in the chain (grain storage errors arrive wrapped, or as Orleans' fallback when their type cannot cross the wire).</summary>
    /// <summary>
    /// What every service treats as a back end down (<see cref="BackendUnavailableHandler.IsUnavailable"/>), and what only
    /// the marketplace meets: a silo or the ledger out of reach, and any database error a grain's storage raised (Orleans
    /// forwards it, or only its type name when the caller cannot deserialize it).
    /// </summary>
    private static bool IsUnavailable(Exception exception)
    {
        if (BackendUnavailableHandler.IsUnavailable(exception))
        {
            return true;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Orleans.Runtime.OrleansException or HttpRequestException or System.Data.Common.DbException ||
                (e is Orleans.Serialization.UnavailableExceptionFallbackException fallback && fallback.ExceptionType?.Contains("Npgsql", StringComparison.Ordinal) == true))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint{(json.Path is null ? "" : " (at " + json.Path + ")")}."
            : bad.Message;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Path}")]
    private partial void LogUnhandled(string path, Exception exception);
}
