using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Depin.ServiceDefaults.Problems;

/// <summary>
/// A back end that did not answer (a database connection cut by a restart, a socket, a timeout, Redis) is a 503 with
/// Retry-After, not a 500: the caller may retry, and nothing that was not acknowledged was applied. Other exceptions go
/// on to the next handler (or the default 500 problem).
/// </summary>
public sealed class BackendUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = "A back end (the database or the broker) did not answer; nothing was applied that was not acknowledged. Retry later.",
            },
        });
    }

    /// <summary>Whether the exception, or one it wraps, says a back end is down or unreachable.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException
                or StackExchange.Redis.RedisConnectionException or System.IO.EndOfStreamException)
            {
                return true;
            }
        }

        return false;
    }
}
