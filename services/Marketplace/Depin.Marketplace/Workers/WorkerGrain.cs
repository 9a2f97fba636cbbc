using Depin.ServiceDefaults.Eventing;
using Depin.Contracts.Events;
using Orleans.Concurrency;
using System.Collections.Immutable;
using Depin.Marketplace.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Workers;

/// <summary>A device of a worker.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerDevice(
    [property: Id(0)] string Name,
    [property: Id(1)] long MemoryBytes,
    [property: Id(2)] int ComputeUnits,
    [property: Id(3)] int BenchmarkScore);

/// <summary>What a provider registers.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerRegistration(
    [property: Id(0)] string ProviderId,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<WorkerDevice> Devices,
    [property: Id(3)] ImmutableArray<string> Kinds,
    [property: Id(4)] long AskPricePerMegaUnit);

/// <summary>How a lease ended, as the job tells its worker.</summary>
[GenerateSerializer]
public enum LeaseOutcome
{
    Verified,
    VerificationFailed,
    Expired,
    Released,
    Cancelled,
}

/// <summary>A lease a worker holds: the job and its fencing token.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkerLease([property: Id(0)] string JobId, [property: Id(1)] long FencingToken);

/// <summary>
/// A worker's persisted state. The leases are a list, not a dictionary: the ADO.NET storage's JSON serializer cannot read
/// back an immutable dictionary it wrote (reference preservation).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkerState(
    [property: Id(0)] WorkerRegistration? Registration = null,
    [property: Id(1)] DateTimeOffset LastHeartbeat = default,
    [property: Id(2)] bool Online = false,
    [property: Id(7)] ImmutableList<WorkerLease>? HeldLeases = null,
    [property: Id(4)] int CompletedJobs = 0,
    [property: Id(5)] int FailedVerifications = 0,
    [property: Id(6)] int ExpiredLeases = 0,
    [property: Id(8)] ImmutableList<SlashRecord>? SlashRecords = null,
    [property: Id(9)] Reputation? Standing = null)
{
    /// <summary>The worker's reputation (a new worker's is 1).</summary>
    public Reputation Reputation => Standing ?? new Reputation();

    /// <summary>How many slashes a worker keeps as evidence (the newest).</summary>
    public const int KeptSlashes = 50;

    public ImmutableList<SlashRecord> Slashes => SlashRecords ?? [];

    public ImmutableList<WorkerLease> ActiveLeases => HeldLeases ?? [];

    public WorkerState WithLease(string jobId, long fencingToken) =>
        this with { HeldLeases = ActiveLeases.RemoveAll(l => l.JobId == jobId).Add(new WorkerLease(jobId, fencingToken)) };

    public WorkerState WithoutLease(string jobId, long fencingToken) =>
        this with { HeldLeases = ActiveLeases.RemoveAll(l => l.JobId == jobId && l.FencingToken == fencingToken) };
}

/// <summary>
/// A provider's worker: devices, ask, heartbeats and the leases it holds. A timer takes it offline when heartbeats stop
/// and hands its leases back to their jobs. Key: worker id. The registration is written before it is acknowledged;
/// heartbeats, the lease list and the counters are bookkeeping, written by the timer at most every
/// <see cref="MarketplaceOptions.HeartbeatCheckInterval"/> and on deactivation (the ledger holds each lease's truth,
/// and its sweeper ends leases whose deadline passed).
/// </summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    Task<WorkerState> Register(WorkerRegistration registration);

    Task<WorkerState> Get();

    /// <summary>Records a heartbeat; brings an offline worker back online.</summary>
    Task<WorkerState> Heartbeat();

    Task LeasesGranted(ImmutableArray<WorkerLease> leases);

    /// <summary>Told by a job when a lease ends; one-way so that a job never waits on its worker.</summary>
    [OneWay]
    Task LeaseEnded(string jobId, long fencingToken, LeaseOutcome outcome);

    /// <summary>Keeps the evidence of a slash (once per job attempt), written at once.</summary>
    Task RecordSlash(SlashRecord slash);
}

/// <summary>Evidence of a slash: the attempt, the result's digest, the failed check and the ledger transaction that took the stake.</summary>
[GenerateSerializer, Immutable]
public sealed record SlashRecord(
    [property: Id(0)] string JobId,
    [property: Id(1)] long FencingToken,
    [property: Id(2)] string? ResultDigest,
    [property: Id(3)] string Check,
    [property: Id(4)] long Amount,
    [property: Id(5)] string LedgerTransaction,
    [property: Id(6)] long LedgerHeight,
    [property: Id(7)] DateTimeOffset At);

/// <inheritdoc cref="IWorkerGrain"/>
public sealed partial class WorkerGrain(
    [PersistentState("worker", MarketplaceExtensions.StorageName)] IPersistentState<WorkerState> state,
    IOptions<MarketplaceOptions> options,
    TimeProvider time,
    IEventPublisher events,
    ILogger<WorkerGrain> logger)
    : Grain, IWorkerGrain
{
    private IGrainTimer? _timer;
    private bool _dirty;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Infrastructure.MarketplaceMetrics.WorkerOnline(this.GetPrimaryKeyString(), online: false);
        if (_dirty)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Online)
        {
            Infrastructure.MarketplaceMetrics.WorkerOnline(this.GetPrimaryKeyString(), online: true);
        }

        if (state.State.Registration is not null)
        {
            StartTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<WorkerState> Register(WorkerRegistration registration)
    {
        if (state.State.Registration is null)
        {
            state.State = new WorkerState(registration, time.GetUtcNow(), true, []);
            await state.WriteStateAsync();
            StartTimer();
        }

        return state.State;
    }

    public Task<WorkerState> Get() => Task.FromResult(state.State);

    public async Task<WorkerState> Heartbeat()
    {
        if (state.State.Registration is null)
        {
            return state.State;
        }

        var now = time.GetUtcNow();
        var previous = state.State;
        state.State = state.State with { LastHeartbeat = now, Online = true };
        Infrastructure.MarketplaceMetrics.WorkerOnline(this.GetPrimaryKeyString(), online: true);
        _dirty = true;
        if (previous.Online && previous.LastHeartbeat != default)
        {
            var seconds = (long)Math.Min((now - previous.LastHeartbeat).TotalSeconds, options.Value.HeartbeatTimeout.TotalSeconds);
            if (seconds > 0)
            {
                var registration = previous.Registration!;
                var provider = await GrainFactory.GetGrain<Providers.IProviderGrain>(registration.ProviderId).Get();
                var capability = registration.Devices.Sum(d => (long)d.BenchmarkScore);
                var workerId = this.GetPrimaryKeyString();
                await events.PublishAsync(WorkerActivityTopics.WorkerUptime, new WorkerUptimeEvent(
                    $"{workerId}:{now.ToUnixTimeMilliseconds()}", workerId, provider.PayoutAddress, seconds, capability, now));
            }
        }

        return state.State;
    }

    public Task LeasesGranted(ImmutableArray<WorkerLease> leases)
    {
        foreach (var lease in leases)
        {
            state.State = state.State.WithLease(lease.JobId, lease.FencingToken);
        }

        _dirty = true;
        return Task.CompletedTask;
    }

    public Task LeaseEnded(string jobId, long fencingToken, LeaseOutcome outcome)
    {
        var now = time.GetUtcNow();
        var ended = state.State.WithoutLease(jobId, fencingToken);
        ended = ended with { Standing = ended.Reputation.After(outcome, now, options.Value.ReputationHalfLife) };
        Infrastructure.MarketplaceMetrics.Reputation(ended.Reputation.ValueAt(now, options.Value.ReputationHalfLife));
        state.State = outcome switch
        {
            LeaseOutcome.Verified => ended with { CompletedJobs = ended.CompletedJobs + 1 },
            LeaseOutcome.VerificationFailed => ended with { FailedVerifications = ended.FailedVerifications + 1 },
            LeaseOutcome.Expired => ended with { ExpiredLeases = ended.ExpiredLeases + 1 },
            _ => ended,
        };
        _dirty = true;
        return Task.CompletedTask;
    }

    public async Task RecordSlash(SlashRecord slash)
    {
        if (state.State.Slashes.Any(s => s.JobId == slash.JobId && s.FencingToken == slash.FencingToken))
        {
            return;
        }

        var kept = state.State.Slashes.Add(slash);
        state.State = state.State with { SlashRecords = kept.Count > WorkerState.KeptSlashes ? kept.RemoveAt(0) : kept };
        await state.WriteStateAsync();
        _dirty = false;
    }

    private void StartTimer()
    {
        _timer ??= this.RegisterGrainTimer(
            CheckHeartbeatAsync,
            new GrainTimerCreationOptions
            {
                DueTime = options.Value.HeartbeatCheckInterval,
                Period = options.Value.HeartbeatCheckInterval,
                KeepAlive = true,
            });
    }

    private async Task CheckHeartbeatAsync(CancellationToken cancellationToken)
    {
        if (!state.State.Online || time.GetUtcNow() - state.State.LastHeartbeat <= options.Value.HeartbeatTimeout)
        {
            if (_dirty)
            {
                _dirty = false;
                await state.WriteStateAsync(cancellationToken);
            }

            return;
        }

        var leases = state.State.ActiveLeases;
        LogOffline(this.GetPrimaryKeyString(), leases.Count);
        state.State = state.State with { Online = false };
        Infrastructure.MarketplaceMetrics.WorkerOnline(this.GetPrimaryKeyString(), online: false);
        _dirty = false;
        await state.WriteStateAsync(cancellationToken);
        foreach (var (jobId, token) in leases)
        {
            // The job decides: it requeues (or fails) only if this lease is still the current one.
            await GrainFactory.GetGrain<IJobGrain>(Guid.Parse(jobId)).RecoverLease(this.GetPrimaryKeyString(), token, "worker offline");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} missed its heartbeats; offline, recovering {Leases} leases")]
    private partial void LogOffline(string workerId, int leases);
}
