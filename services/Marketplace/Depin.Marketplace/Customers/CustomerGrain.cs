using System.Collections.Immutable;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;

namespace Depin.Marketplace.Customers;

/// <summary>A customer's persisted state.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerState(
    [property: Id(0)] bool Registered = false,
    [property: Id(1)] string Name = "",
    [property: Id(2)] string LedgerAddress = "",
    [property: Id(3)] DateTimeOffset RegisteredAt = default,
    [property: Id(4)] ImmutableList<Guid>? JobIds = null)
{
    public ImmutableList<Guid> Jobs => JobIds ?? [];
}

/// <summary>A customer: its ledger address and its jobs. Key: customer id.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<CustomerState> Register(string name);

    Task<CustomerState> Get();

    /// <summary>
    /// Submits a job; with an idempotency key the job id is derived from it, so a repeated submission returns the first job.
    /// </summary>
    Task<Guid> SubmitJob(JobSubmission submission, string? idempotencyKey);

    /// <summary>Whether the job belongs to this customer.</summary>
    Task<bool> Owns(Guid jobId);
}

/// <inheritdoc cref="ICustomerGrain"/>
public sealed class CustomerGrain(
    [PersistentState("customer", MarketplaceExtensions.StorageName)] IPersistentState<CustomerState> state,
    TimeProvider time)
    : Grain, ICustomerGrain
{
    public async Task<CustomerState> Register(string name)
    {
        if (!state.State.Registered)
        {
            var id = this.GetPrimaryKeyString();
            state.State = new CustomerState(true, name, LedgerIds.CustomerAddress(id), time.GetUtcNow(), []);
            await state.WriteStateAsync();
        }

        return state.State;
    }

    public Task<CustomerState> Get() => Task.FromResult(state.State);

    public async Task<Guid> SubmitJob(JobSubmission submission, string? idempotencyKey)
    {
        var id = this.GetPrimaryKeyString();
        var jobId = idempotencyKey is null ? Guid.NewGuid() : LedgerIds.JobId(id, idempotencyKey);
        if (!state.State.Jobs.Contains(jobId))
        {
            // Recorded first: a crash after this leaves a job id whose grain re-runs Submit on the next attempt.
            state.State = state.State with { JobIds = state.State.Jobs.Add(jobId) };
            await state.WriteStateAsync();
        }

        // The job grain funds itself (a ledger round trip); the caller drives it, so that one customer's submissions
        // are not serialised behind each other's escrow locks in this (non-reentrant) grain.
        return jobId;
    }

    public Task<bool> Owns(Guid jobId) => Task.FromResult(state.State.Jobs.Contains(jobId));
}
