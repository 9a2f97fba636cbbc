using System.Diagnostics;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Depin.Marketplace.Customers;
using Depin.Marketplace.Infrastructure;
using Depin.Marketplace.Jobs;
using Depin.Marketplace.Scheduling;
using Depin.ServiceDefaults.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Canaries;

/// <summary>
/// Canary jobs (one grain, key <see cref="CanaryGrain.Key"/>): at <see cref="MarketplaceOptions.CanaryInterval"/> the
/// platform submits a job whose answer it already knows, from one of a few ordinary customer accounts funded by the
/// treasury, bidding the highest ask of the workers online for the kind, so whichever worker leases it next gets it. A
/// worker sees a lease like any other; the job's result is compared whole with the reference, and a mismatch is a failed
/// verification (slash and reputation). An account whose canary failed is retired (its worker's provider can now see it
/// in its job history), and so is one after <see cref="MarketplaceOptions.CanaryJobsPerAccount"/> canaries.
/// </summary>
public interface ICanaryGrain : IGrainWithStringKey
{
    /// <summary>Submits a canary when one is due (or now, with <paramref name="force"/>); the entry says what happened, null when none was due.</summary>
    Task<CanaryEntry?> Run(bool force, string? kind);

    /// <summary>A canary's attempt was judged (its job calls this).</summary>
    [Orleans.Concurrency.OneWay]
    Task Judged(CanaryJudgement judgement);

    Task<CanaryView> Get();
}

/// <inheritdoc cref="ICanaryGrain"/>
public sealed partial class CanaryGrain(
    [PersistentState("canaries", MarketplaceExtensions.StorageName)] IPersistentState<CanaryState> state,
    ILedgerClient ledger,
    IContentStore content,
    KernelRegistry kernels,
    IOptions<MarketplaceOptions> options,
    TimeProvider time,
    ILogger<CanaryGrain> logger)
    : Grain, ICanaryGrain
{
    public const string Key = "canaries";

    private const int RecentLimit = 100;

    private static readonly ActivitySource Tracing = new("Depin.Marketplace");

    private CanaryState S => state.State ??= new CanaryState();

    public async Task<CanaryEntry?> Run(bool force, string? kind)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        if (!force && (o.CanaryInterval <= TimeSpan.Zero || (S.LastRun is { } last && now - last < o.CanaryInterval)))
        {
            return null;
        }

        if (!force && S.LastRun is null)
        {
            // The first canary comes one interval after the pool first ran, not at every start.
            await SaveAsync(S with { LastRun = now });
            return null;
        }

        var entry = await SubmitAsync(kind, now);
        var counted = entry.Outcome == "submitted" ? S with { Submitted = S.Submitted + 1 } : S with { Skipped = S.Skipped + 1 };
        await SaveAsync(Add(counted, entry) with { LastRun = now });
        MarketplaceMetrics.Canary(entry.Kind, entry.Outcome);
        return entry;
    }

    public async Task Judged(CanaryJudgement judgement)
    {
        var entry = new CanaryEntry(judgement.JobId.ToString("D"), judgement.Kind, judgement.Passed ? "passed" : "failed", judgement.At, judgement.WorkerId,
            judgement.Passed ? null : $"attempt {judgement.FencingToken}: {judgement.Reason}");
        var next = judgement.Passed ? S with { Passed = S.Passed + 1 } : S with { Failed = S.Failed + 1 };
        if (!judgement.Passed)
        {
            LogCanaryFailed(judgement.JobId, judgement.WorkerId, judgement.Reason);
            if (judgement.CustomerId is { } customer && next.Accounts.Contains(customer))
            {
                next = Retire(next, customer);
            }
        }

        await SaveAsync(Add(next, entry));
    }

    public Task<CanaryView> Get() => Task.FromResult(new CanaryView(
        options.Value.CanaryInterval.TotalSeconds, S.Accounts.Count, S.Submitted, S.Passed, S.Failed, S.Skipped, S.AccountsRetired, S.LastRun, [.. S.Recent.Reverse()]));

    private async Task<CanaryEntry> SubmitAsync(string? requestedKind, DateTimeOffset now)
    {
        var o = options.Value;
        var (kind, bid) = await ChooseKindAsync(requestedKind);
        if (kind is null || bid is null)
        {
            return new CanaryEntry(null, requestedKind ?? "*", "skipped", now, Detail: requestedKind is null
                ? "no worker asked for work of a kind canaries cover lately"
                : $"no {requestedKind} worker asked for work lately");
        }

        var random = Random.Shared;
        var parametersJson = CanaryParameters.For(kind, random)!;
        var kernel = kernels.Get(kind);
        using var parameters = System.Text.Json.JsonDocument.Parse(parametersJson);
        var root = parameters.RootElement.Clone();
        var workUnits = kernel.WorkUnits(root);
        if (Pricing.Total(bid.Value, workUnits) is not { } escrow)
        {
            return new CanaryEntry(null, kind, "skipped", now, Detail: "the price does not fit in 64 bits");
        }

        // The answer, computed here once and kept where the job's verification finds it (never where a worker looks).
        var expected = await Task.Run(() => kernel.RunReference(root, default));
        var answer = await content.PutAsync(expected);

        var customerId = await PickAccountAsync();
        var address = LedgerIds.CustomerAddress(customerId);
        var jobId = Guid.NewGuid();
        var balance = (await ledger.GetAccountAsync(address)).Balance;
        if (balance < escrow)
        {
            var funding = new LedgerTransactionDto(LedgerIds.CanaryFunding(jobId), "transfer", From: LedgerAccounts.Treasury, To: address, Amount: escrow - balance);
            var funded = (await ledger.SubmitAsync([funding]))[0];
            if (!funded.Succeeded)
            {
                LogUnfunded(kind, escrow - balance, funded.Status);
                return new CanaryEntry(null, kind, "skipped", now, Detail: $"the treasury could not fund {escrow - balance} micro-credits: {funded.Status}");
            }
        }

        using var activity = Tracing.StartActivity("canary", ActivityKind.Producer);
        var submission = new JobSubmission(customerId, address, kind, parametersJson, null, workUnits, kernel.MinMemoryBytes(root), bid.Value, escrow,
            now + o.DefaultJobDeadline, Activity.Current?.Id, answer);
        var job = (await GrainFactory.GetGrain<IJobGrain>(jobId).Submit(submission)).Job;
        if (job.Status == JobStatuses.Rejected)
        {
            return new CanaryEntry(jobId.ToString("D"), kind, "skipped", now, Detail: "escrow not locked: " + job.FailureReason);
        }

        var uses = S.JobsPerAccount.GetValueOrDefault(customerId) + 1;
        state.State = uses >= o.CanaryJobsPerAccount ? Retire(S, customerId) : S with { JobsPerAccount = S.JobsPerAccount.SetItem(customerId, uses) };
        return new CanaryEntry(jobId.ToString("D"), kind, "submitted", now, Detail: $"bid {bid} per 1,000,000 work units, escrow {escrow}");
    }

    /// <summary>A kind that workers asked for lately (the requested one, or one at random) and the highest ask among them.</summary>
    private async Task<(string? Kind, long? Bid)> ChooseKindAsync(string? requested)
    {
        var configured = options.Value.CanaryKinds is { Count: > 0 } listed ? listed : [.. kernels.Kinds];
        var candidates = requested is null
            ? configured.Where(CanaryParameters.Covers).ToList()
            : configured.Contains(requested) ? [requested] : [];
        var asks = await Task.WhenAll(candidates.Select(async k => (Kind: k, Ask: await GrainFactory.GetGrain<IJobQueueGrain>(k).HighestRecentAsk())));
        var online = asks.Where(a => a.Ask is not null).ToList();
        if (online.Count == 0)
        {
            return (null, null);
        }

        var chosen = online[Random.Shared.Next(online.Count)];
        return (chosen.Kind, chosen.Ask);
    }

    /// <summary>One of the pool's accounts at random, registering new customers until the pool holds <see cref="MarketplaceOptions.CanaryAccounts"/>.</summary>
    private async Task<string> PickAccountAsync()
    {
        var accounts = S.Accounts;
        while (accounts.Count < Math.Max(1, options.Value.CanaryAccounts))
        {
            var customerId = "cus_" + Guid.NewGuid().ToString("N");
            await GrainFactory.GetGrain<ICustomerGrain>(customerId).Register(CanaryNames.Next(Random.Shared));
            accounts = accounts.Add(customerId);
        }

        state.State = S with { Accounts = accounts };
        return accounts[Random.Shared.Next(accounts.Count)];
    }

    private static CanaryState Retire(CanaryState s, string customerId) =>
        s with { Accounts = s.Accounts.Remove(customerId), JobsPerAccount = s.JobsPerAccount.Remove(customerId), AccountsRetired = s.AccountsRetired + 1 };

    private static CanaryState Add(CanaryState s, CanaryEntry entry) =>
        s with { Recent = (s.Recent.Count >= RecentLimit ? s.Recent.RemoveAt(0) : s.Recent).Add(entry) };

    private Task SaveAsync(CanaryState next)
    {
        state.State = next;
        return state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary {JobId}: the result of worker {WorkerId} does not match the known answer: {Reason}")]
    private partial void LogCanaryFailed(Guid jobId, string? workerId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary ({Kind}) skipped: the treasury could not fund {Amount} micro-credits ({Status})")]
    private partial void LogUnfunded(string kind, long amount, string status);
}
