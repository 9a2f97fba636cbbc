using System.Text.Json;
using Depin.Contracts.Marketplace;

namespace Depin.Marketplace.Jobs;

/// <summary>Maps job state to its REST view.</summary>
public static class JobViews
{
    public static JobView ToView(this JobState s, Guid jobId)
    {
        var job = s.Submission!;
        using var doc = JsonDocument.Parse(job.ParametersJson);
        return new JobView(
            jobId.ToString("D"),
            job.CustomerId,
            job.Kind,
            doc.RootElement.Clone(),
            job.WorkUnits,
            job.MaxPricePerMegaUnit,
            job.Escrow,
            s.Status,
            s.Price,
            s.Fee,
            s.WorkerId,
            s.Attempts,
            s.CreatedAt,
            job.Deadline,
            s.ResultDigest,
            s.FailureReason,
            [.. s.History.Select(t => new JobTransitionView(t.Status, t.At, t.Detail))]);
    }
}
