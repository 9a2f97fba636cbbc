using Depin.Chain;
using Depin.Contracts.Rewards;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.Hosting;
using Depin.Rewards.Storage;
using Depin.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Api;

/// <summary>Epochs, provider rewards and claim proofs.</summary>
public static class RewardsApi
{
    private const int MaxPage = 200;

    public static RouteGroupBuilder MapEpochRewardsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/rewards").WithTags("Rewards");
        group.MapGet("/epochs", ListEpochs).WithName("ListEpochs").WithSummary("Closed (or closing) epochs, newest first; page with ?before=&take=.");
        group.MapGet("/epochs/current", CurrentEpoch).WithName("CurrentEpoch").WithSummary("The open epoch: its window and the emission it will distribute.");
        group.MapGet("/epochs/{epoch:long}", GetEpoch).WithName("GetEpoch").WithSummary("One epoch: pools, payout root and close progress.");
        group.MapGet("/providers/{address}", ProviderRewards).WithName("ProviderRewards").WithSummary("A provider's lifetime rewards, credited and pending, and its per-epoch history.");
        group.MapGet("/providers/{address}/proofs/{epoch:long}", ClaimProof).WithName("ClaimProof")
            .WithSummary("Everything a wallet needs to call MerkleDistributor.claim(epoch, account, amount, proof).");
        group.MapPost("/epochs/close", CloseDue).WithName("CloseDueEpochs").WithSummary("Admin (X-Api-Key): closes every ended epoch now instead of waiting for the job.");
        return group;
    }

    internal static async Task<Results<Ok<EpochListDto>, ValidationProblem>> ListEpochs(IEpochStore store, long? before, int? take, CancellationToken cancellationToken)
    {
        int size = take ?? 50;
        if (size is < 1 or > MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"take must be between 1 and {MaxPage}."] });
        }

        IReadOnlyList<EpochRecord> page = await store.ListEpochsAsync(before, size, cancellationToken);
        return TypedResults.Ok(new EpochListDto([.. page.Select(ToDto)], page.Count == size ? page[^1].Epoch : null));
    }

    internal static Ok<EpochDto> CurrentEpoch(EpochClock clock, EpochCloser closer, TimeProvider time)
    {
        long epoch = Math.Max(0, clock.EpochAt(time.GetUtcNow()));
        EpochWindow window = clock.Window(epoch);
        long emission = closer.Schedule.AmountFor(epoch);
        (long availability, long work) = closer.Split.Divide(emission);
        return TypedResults.Ok(new EpochDto(epoch, window.Start, window.End, "open", emission, availability, work, 0, 0, 0, null, null, null));
    }

    internal static async Task<Results<Ok<EpochDto>, NotFound<ProblemDetails>>> GetEpoch(long epoch, IEpochStore store, CancellationToken cancellationToken)
    {
        EpochRecord? record = await store.GetEpochAsync(epoch, cancellationToken);
        return record is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "Epoch not closed", Detail = $"Epoch {epoch} has not been computed yet.", Status = 404 })
            : TypedResults.Ok(ToDto(record));
    }

    internal static async Task<Results<Ok<ProviderRewardsDto>, ValidationProblem>> ProviderRewards(string address, int? take, IEpochStore store, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(address, out Address account))
        {
            return InvalidAddress();
        }

        int size = take ?? 100;
        if (size is < 1 or > MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"take must be between 1 and {MaxPage}."] });
        }

        ProviderRewardHistory history = await store.GetProviderRewardsAsync(account, size, cancellationToken);
        return TypedResults.Ok(new ProviderRewardsDto(
            account.ToString(),
            history.Credited,
            history.Pending,
            [.. history.Epochs.Select(e => new ProviderEpochRewardDto(e.Epoch, e.Reward.Availability, e.Reward.Work, e.Reward.Total, e.Credited))]));
    }

    internal static async Task<Results<Ok<ClaimProofDto>, NotFound<ProblemDetails>, ValidationProblem>> ClaimProof(
        string address, long epoch, IEpochStore store, PayoutTreeCache trees, IPayoutRootPublisher roots, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(address, out Address account))
        {
            return InvalidAddress();
        }

        EpochRecord? record = await store.GetEpochAsync(epoch, cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "Epoch not closed", Detail = $"Epoch {epoch} has not been computed yet.", Status = 404 });
        }

        PayoutMerkleTree? tree = await trees.GetAsync(epoch, cancellationToken);
        if (tree is null || !tree.Contains(account))
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "No reward", Detail = $"{account} earned nothing in epoch {epoch}.", Status = 404 });
        }

        Payout payout = tree.PayoutFor(account);
        bool anchored = record.Status >= EpochStatus.Anchored && roots.IsEnabled;
        return TypedResults.Ok(new ClaimProofDto(
            epoch,
            account.ToString(),
            payout.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [.. tree.GetProof(account).Select(h => h.ToString())],
            tree.Root.ToString(),
            PayoutMerkleTree.Leaf(tree.Epoch, account, payout.Amount).ToString(),
            roots.DistributorAddress,
            await roots.GetChainIdAsync(cancellationToken),
            anchored));
    }

    internal static async Task<Results<Ok<int>, UnauthorizedHttpResult>> CloseDue(HttpContext context, EpochCloser closer, AdminKey admin, CancellationToken cancellationToken)
    {
        if (!admin.IsAuthorized(context))
        {
            return TypedResults.Unauthorized();
        }

        return TypedResults.Ok(await closer.CloseDueEpochsAsync(cancellationToken));
    }

    public static EpochDto ToDto(EpochRecord r) => new(
        r.Epoch, r.Start, r.End, StatusName(r.Status), r.Emission, r.AvailabilityPool, r.WorkPool, r.Distributed, r.Unallocated,
        r.ProviderCount, r.MerkleRoot, r.AnchorTransaction, r.ClosedAt, r.WorkUnits);

    public static string StatusName(EpochStatus status) => status switch
    {
        EpochStatus.Computed => "computed",
        EpochStatus.Credited => "credited",
        EpochStatus.Anchored => "anchored",
        EpochStatus.Published => "closed",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static ValidationProblem InvalidAddress() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["address"] = ["Expected an Ethereum address: 0x followed by 40 hex digits (a valid EIP-55 checksum if mixed case)."],
        });
}
