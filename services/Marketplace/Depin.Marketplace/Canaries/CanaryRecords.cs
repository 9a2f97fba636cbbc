using System.Collections.Immutable;

namespace Depin.Marketplace.Canaries;

/// <summary>A canary attempt judged by its job: the worker, the attempt's fencing token and the verdict.</summary>
[GenerateSerializer, Immutable]
public sealed record CanaryJudgement(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? WorkerId,
    [property: Id(3)] long FencingToken,
    [property: Id(4)] bool Passed,
    [property: Id(5)] string? Reason,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string? CustomerId = null);

/// <summary>One canary as admins see it: submitted (or why not), then each judged attempt.</summary>
[GenerateSerializer, Immutable]
public sealed record CanaryEntry(
    [property: Id(0)] string? JobId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Outcome,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? WorkerId = null,
    [property: Id(5)] string? Detail = null);

/// <summary>The canary pool: the customer accounts canaries are submitted from, counts and the latest entries.</summary>
[GenerateSerializer]
public sealed record CanaryState
{
    [Id(0)] public ImmutableList<string> Accounts { get; init; } = [];

    [Id(1)] public ImmutableDictionary<string, int> JobsPerAccount { get; init; } = ImmutableDictionary<string, int>.Empty;

    [Id(2)] public long Submitted { get; init; }

    [Id(3)] public long Passed { get; init; }

    [Id(4)] public long Failed { get; init; }

    [Id(5)] public long Skipped { get; init; }

    [Id(6)] public long AccountsRetired { get; init; }

    [Id(7)] public DateTimeOffset? LastRun { get; init; }

    [Id(8)] public ImmutableList<CanaryEntry> Recent { get; init; } = [];
}

/// <summary>Canaries for admins (GET /api/admin/canaries).</summary>
[GenerateSerializer, Immutable]
public sealed record CanaryView(
    [property: Id(0)] double IntervalSeconds,
    [property: Id(1)] int Accounts,
    [property: Id(2)] long Submitted,
    [property: Id(3)] long Passed,
    [property: Id(4)] long Failed,
    [property: Id(5)] long Skipped,
    [property: Id(6)] long AccountsRetired,
    [property: Id(7)] DateTimeOffset? LastRun,
    [property: Id(8)] IReadOnlyList<CanaryEntry> Recent);
