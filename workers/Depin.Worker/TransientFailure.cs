using System.Net;
using Refit;

namespace Depin.Worker;

/// <summary>Which failures of a call to the platform are worth retrying: no answer, 429, or a 5xx (a back end down for a while).</summary>
public static class TransientFailure
{
    public static bool Is(Exception ex) => ex switch
    {
        ApiException api => Is(api.StatusCode),
        HttpRequestException http => http.StatusCode is null || Is(http.StatusCode.Value),
        ApiRequestException => true,
        TaskCanceledException => true,
        _ => false,
    };

    public static bool Is(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;
}
