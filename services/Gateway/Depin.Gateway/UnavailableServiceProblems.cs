using Yarp.ReverseProxy.Forwarder;

namespace Depin.Gateway;

/// <summary>
/// A route whose service cannot be reached (down, restarting, timed out) answers RFC 7807 problem details naming the
/// service, 503 with Retry-After (504 on a timeout), instead of the proxy's empty 502.
/// </summary>
public static class UnavailableServiceProblems
{
    public static IReverseProxyApplicationBuilder UseUnavailableServiceProblems(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            await next();
            if (context.GetForwarderErrorFeature() is not { } error || context.Response.HasStarted)
            {
                return;
            }

            var service = context.GetReverseProxyFeature().Cluster?.Config.ClusterId ?? "upstream";
            var timedOut = error.Error is ForwarderError.RequestTimedOut;
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "5";
            await Results.Problem(
                statusCode: timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable,
                title: timedOut ? $"The {service} service did not answer in time." : $"The {service} service is unavailable.",
                detail: timedOut
                    ? "The request reached the service but no answer came back; it may have been applied. Read before retrying, or retry a write with the same ids."
                    : "The service could not be reached (it may be restarting). Retry in a few seconds.",
                extensions: new Dictionary<string, object?> { ["service"] = service }).ExecuteAsync(context);
        });
        return proxy;
    }
}
