using System.Collections.Immutable;
using Depin.Contracts.Marketplace;

namespace Depin.Marketplace.Jobs;

/// <summary>One state change of a job.</summary>
[GenerateSerializer, Immutable]
public sealed record JobTransition([property: Id(0)] string Status, [property: Id(1)] DateTimeOffset At, [property: Id(2)] string? Detail);

/// <summary>
/// A validated job as the customer submitted it, priced by the API layer. <see cref="KnownAnswerDigest"/> marks a canary:
/// the SHA-256 of the reference result kept in the content store, which workers never see.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobSubmission(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string CustomerAddress,
    [property: Id(2)] string Kind,
    [property: Id(3)] string ParametersJson,
    [property: Id(4)] string? InputBase64,
    [property: Id(5)] long WorkUnits,
    [property: Id(6)] long MinMemoryBytes,
    [property: Id(7)] long MaxPricePerMegaUnit,
    [property: Id(8)] long Escrow,
    [property: Id(9)] DateTimeOffset? Deadline,
    [property: Id(10)] string? TraceParent = null,
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? KnownAnswerDigest = null);

/// <summary>What a submission found: the job, and whether it existed before (an idempotent repeat) rather than being created by it.</summary>
[GenerateSerializer, Immutable]
public sealed record JobSubmitResult([property: Id(0)] JobState Job, [property: Id(1)] bool Existing);

/// <summary>A job as its grain holds it in memory, rebuilt from the ledger on activation (<see cref="JobReplay"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record JobState(
    [property: Id(0)] JobSubmission? Submission = null,
    [property: Id(1)] string Status = "",
    [property: Id(2)] DateTimeOffset CreatedAt = default,
    [property: Id(3)] ImmutableList<JobTransition>? Transitions = null,
    [property: Id(4)] int Attempts = 0,
    [property: Id(6)] long FencingToken = 0,
    [property: Id(7)] string? WorkerId = null,
    [property: Id(8)] string? ProviderAddress = null,
    [property: Id(9)] DateTimeOffset? LeaseExpiresAt = null,
    [property: Id(10)] long? Price = null,
    [property: Id(11)] long? Fee = null,
    [property: Id(12)] string? ResultDigest = null,
    [property: Id(13)] long? ResultToken = null,
    [property: Id(14)] string? FailureReason = null,
    [property: Id(15)] string? SettlementTxId = null,
    [property: Id(16)] string? RefundTxId = null,
    [property: Id(17)] DateTimeOffset? PendingSince = null)
{
    public ImmutableList<JobTransition> History => Transitions ?? [];

    public bool Exists => Submission is not null;

    /// <summary>True when nothing more will happen to the job.</summary>
    public bool IsFinal => Status is JobStatuses.Settled or JobStatuses.Refunded or JobStatuses.Rejected;
}

/// <summary>What a worker offers when it asks for work.</summary>
[GenerateSerializer, Immutable]
public sealed record LeaseOffer(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string ProviderAddress,
    [property: Id(2)] long AskPricePerMegaUnit,
    [property: Id(3)] long DeviceMemoryBytes);

/// <summary>A granted lease.</summary>
[GenerateSerializer, Immutable]
public sealed record LeaseGrant(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string ParametersJson,
    [property: Id(3)] string? InputBase64,
    [property: Id(4)] long FencingToken,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] long WorkUnits,
    [property: Id(7)] long Price,
    [property: Id(8)] string? TraceParent = null);

/// <summary>How a result upload was judged.</summary>
[GenerateSerializer]
public enum CompletionStatus
{
    Accepted,
    Rejected,
    Stale,
    NotHolder,
    NotFound,
}

/// <summary>The outcome of a result upload.</summary>
[GenerateSerializer, Immutable]
public sealed record CompletionResult([property: Id(0)] CompletionStatus Outcome, [property: Id(1)] string JobStatus, [property: Id(2)] string? Reason);
