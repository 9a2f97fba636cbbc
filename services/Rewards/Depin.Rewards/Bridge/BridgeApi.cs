using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Rewards;
using Depin.Rewards.Anchoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Depin.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Bridge;

/// <summary>
/// /api/bridge: where and how to deposit, the status of deposits, and withdrawals. Deposits are public on chain, so their
/// status is public too; a withdrawal is read by its (unguessable) id, requested and listed only with the admin key (the
/// marketplace requests them for its authenticated customers and providers).
/// </summary>
public static class BridgeApi
{
    private const int MaxPage = 200;

    public static RouteGroupBuilder MapBridgeApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/bridge").WithTags("Bridge");
        group.MapGet("/", Info).WithName("BridgeInfo").WithSummary("The chain, Vault and token to deposit with, and the confirmations a deposit waits for.");
        group.MapGet("/deposits/{transactionHash}", ByTransaction).WithName("DepositsByTransaction").WithSummary("The deposits of one chain transaction, with their status.");
        group.MapGet("/deposits", ByAccount).WithName("DepositsByAccount").WithSummary("Recent deposits to a ledger account (?account=0x…&take=).");
        group.MapPost("/withdrawals", RequestWithdrawal).WithName("RequestWithdrawal").WithSummary("Services (admin key): withdraw a ledger account's credits to a wallet; the marketplace calls it for its customers and providers.");
        group.MapGet("/withdrawals/{id}", GetWithdrawal).WithName("GetBridgeWithdrawal").WithSummary("A withdrawal by its id, with the proof to claim it from the Vault once its batch is published.");
        group.MapGet("/withdrawals", ListWithdrawals).WithName("ListWithdrawals").WithSummary("Admin (X-Api-Key): the recent withdrawals of a ledger account (?account=0x…&take=).");
        group.MapPost("/withdrawals/batches", BatchNow).WithName("BatchWithdrawals").WithSummary("Admin (X-Api-Key): batches the debited withdrawals now instead of waiting for the interval.");
        group.MapGet("/backing", Backing).WithName("BridgeBacking").WithSummary("Admin (X-Api-Key): the Vault's tokens against the ledger's credits and the unclaimed withdrawals, read now.");
        group.MapPost("/dev/fund", DevFund).WithName("DevFund").WithSummary("Development and --demo only: mints test tokens and gas to a wallet on the local chain.");
        return group;
    }

    internal static async Task<Ok<BridgeInfoDto>> Info(RewardsChain chain, DepositWatcher watcher, IOptions<BridgeOptions> bridge, IOptions<RewardsOptions> rewards, CancellationToken cancellationToken)
    {
        long? chainId = chain.Client is { } client ? (long)await client.GetChainIdAsync(cancellationToken) : null;
        return TypedResults.Ok(new BridgeInfoDto(
            chain.Vault is not null,
            chainId,
            bridge.Value.PublicRpcUrl ?? rewards.Value.Chain.RpcUrl,
            chain.Vault?.Address.ToString(),
            chain.Token?.Address.ToString(),
            watcher.Confirmations,
            VaultContract.UnitsPerMicroCredit.ToString(),
            watcher.Head is { } head ? (long)head : null,
            bridge.Value.EnableDevFaucet && chain.Token is not null));
    }

    internal static async Task<Results<Ok<DepositListDto>, NotFound<ProblemDetails>, ValidationProblem>> ByTransaction(
        string transactionHash, IBridgeStore store, DepositWatcher watcher, CancellationToken cancellationToken)
    {
        if (!Hash32.TryParse(transactionHash, out Hash32 hash))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["transactionHash"] = ["must be a 32-byte transaction hash (0x + 64 hex digits)."] });
        }

        IReadOnlyList<DepositRecord> deposits = await store.GetByTransactionAsync(hash, cancellationToken);
        return deposits.Count == 0
            ? TypedResults.NotFound(new ProblemDetails
            {
                Title = "Deposit not seen",
                Detail = $"No Vault deposit in {hash} has been seen yet (the watcher polls the chain every few seconds; a transaction that reverted never deposits).",
                Status = 404,
            })
            : TypedResults.Ok(new DepositListDto([.. deposits.Select(d => ToDto(d, watcher))]));
    }

    internal static async Task<Results<Ok<DepositListDto>, ValidationProblem>> ByAccount(string? account, int? take, IBridgeStore store, DepositWatcher watcher, CancellationToken cancellationToken)
    {
        if (!Address.TryParse(account, out Address ledgerAccount))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["account"] = ["must be a ledger account address (0x + 40 hex digits)."] });
        }

        int size = take ?? 50;
        if (size is < 1 or > MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"must be between 1 and {MaxPage}."] });
        }

        IReadOnlyList<DepositRecord> deposits = await store.GetByAccountAsync(ledgerAccount, size, cancellationToken);
        return TypedResults.Ok(new DepositListDto([.. deposits.Select(d => ToDto(d, watcher))]));
    }

    internal static async Task<Results<Ok<DevFundDto>, ValidationProblem, ProblemHttpResult>> DevFund(
        DevFundRequest request, RewardsChain chain, IOptions<BridgeOptions> bridge, CancellationToken cancellationToken)
    {
        if (!bridge.Value.EnableDevFaucet || chain.Token is null || chain.Client is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No dev faucet",
                detail: "Test tokens exist only on a local development chain (Development or --demo); deposit real tokens to the Vault instead.");
        }

        if (!Address.TryParse(request.Address, out Address wallet))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["address"] = ["must be a wallet address (0x + 40 hex digits)."] });
        }

        if (request.Credits is < 1 or > 1_000_000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["credits"] = ["must be between 1 and 1000000 credits."] });
        }

        BigInteger tokens = request.Credits * 1_000_000 * VaultContract.UnitsPerMicroCredit;
        await chain.Token.MintAsync(wallet, tokens, cancellationToken);
        BigInteger gas = BigInteger.Pow(10, 18);
        if (await chain.Client.GetBalanceAsync(wallet, cancellationToken) < gas)
        {
            await chain.Client.TransferAsync(wallet, gas, cancellationToken);
        }

        return TypedResults.Ok(new DevFundDto(
            wallet.ToString(),
            (await chain.Token.BalanceOfAsync(wallet, cancellationToken)).ToString(),
            (await chain.Client.GetBalanceAsync(wallet, cancellationToken)).ToString()));
    }

    internal static async Task<Results<Created<WithdrawalDto>, ValidationProblem, ProblemHttpResult, UnauthorizedHttpResult>> RequestWithdrawal(
        WithdrawalRequestDto request, HttpContext context, AdminKey admin, Withdrawals withdrawals, RewardsChain chain, CancellationToken cancellationToken)
    {
        if (!admin.IsAuthorized(context))
        {
            return TypedResults.Unauthorized();
        }

        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(request.Id, out Guid id))
        {
            errors["id"] = ["must be a UUID (the ledger transaction id of the withdrawal)."];
        }

        if (!Address.TryParse(request.LedgerAccount, out Address account))
        {
            errors["ledgerAccount"] = ["must be a ledger account address (0x + 40 hex digits)."];
        }

        if (!Address.TryParse(request.Wallet, out Address wallet) || wallet == default)
        {
            errors["wallet"] = ["must be a wallet address (0x + 40 hex digits)."];
        }

        if (request.MicroCredits <= 0)
        {
            errors["microCredits"] = ["must be a positive number of micro-credits."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!withdrawals.IsEnabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No bridge", detail: "No Vault is configured (Rewards:Chain:VaultAddress): there is no way out to a chain.");
        }

        WithdrawalRecord record;
        try
        {
            record = await withdrawals.RequestAsync(id.ToString("D"), account, wallet, request.MicroCredits, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Withdrawal id in use", detail: e.Message);
        }

        return TypedResults.Created($"/api/bridge/withdrawals/{record.Id}", await ToDto(record, withdrawals, chain, cancellationToken));
    }

    internal static async Task<Results<Ok<WithdrawalDto>, NotFound<ProblemDetails>>> GetWithdrawal(string id, Withdrawals withdrawals, RewardsChain chain, CancellationToken cancellationToken) =>
        await withdrawals.GetAsync(id, cancellationToken) is { } record
            ? TypedResults.Ok(await ToDto(record, withdrawals, chain, cancellationToken))
            : TypedResults.NotFound(new ProblemDetails { Title = "No such withdrawal", Detail = $"No withdrawal has id {id}.", Status = 404 });

    internal static async Task<Results<Ok<WithdrawalListDto>, ValidationProblem, UnauthorizedHttpResult>> ListWithdrawals(
        string? account, int? take, HttpContext context, AdminKey admin, IWithdrawalStore store, Withdrawals withdrawals, RewardsChain chain, CancellationToken cancellationToken)
    {
        if (!admin.IsAuthorized(context))
        {
            return TypedResults.Unauthorized();
        }

        if (!Address.TryParse(account, out Address ledgerAccount))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["account"] = ["must be a ledger account address (0x + 40 hex digits)."] });
        }

        int size = take ?? 50;
        if (size is < 1 or > MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"must be between 1 and {MaxPage}."] });
        }

        var list = new List<WithdrawalDto>();
        foreach (WithdrawalRecord record in await store.GetWithdrawalsAsync(ledgerAccount, size, cancellationToken))
        {
            list.Add(await ToDto(record, withdrawals, chain, cancellationToken));
        }

        return TypedResults.Ok(new WithdrawalListDto(list));
    }

    internal static async Task<Results<Ok<long?>, UnauthorizedHttpResult, ProblemHttpResult>> BatchNow(HttpContext context, AdminKey admin, Withdrawals withdrawals, CancellationToken cancellationToken)
    {
        if (!admin.IsAuthorized(context))
        {
            return TypedResults.Unauthorized();
        }

        return withdrawals.IsEnabled
            ? TypedResults.Ok(await withdrawals.BatchAsync(cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No bridge", detail: "No Vault is configured (Rewards:Chain:VaultAddress).");
    }

    internal static async Task<Results<Ok<BackingDto>, UnauthorizedHttpResult, ProblemHttpResult>> Backing(HttpContext context, AdminKey admin, BackingCheck backing, CancellationToken cancellationToken)
    {
        if (!admin.IsAuthorized(context))
        {
            return TypedResults.Unauthorized();
        }

        if (!backing.IsEnabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No bridge", detail: "No Vault and token are configured, or the ledger's supply cannot be read here.");
        }

        BackingReport r = await backing.CheckAsync(cancellationToken);
        return TypedResults.Ok(new BackingDto(r.LedgerHeight, r.VaultBalance.ToString(), r.LedgerCredits.ToString(), r.Unclaimed.ToString(), r.Difference.ToString(), r.Difference.IsZero));
    }

    internal static async Task<WithdrawalDto> ToDto(WithdrawalRecord w, Withdrawals withdrawals, RewardsChain chain, CancellationToken cancellationToken)
    {
        WithdrawalClaim? claim = w.Status == WithdrawalStatus.Debited ? await withdrawals.ClaimAsync(w, cancellationToken) : null;
        bool claimed = claim is not null && await withdrawals.IsClaimedAsync(claim, cancellationToken);
        (string status, string detail) = w.Status switch
        {
            WithdrawalStatus.Requested => ("requested", "waiting for the ledger"),
            WithdrawalStatus.Refused => ("refused", $"the ledger refused it: {w.Reason}"),
            _ when claimed => ("claimed", $"claimed from the Vault (batch {claim!.Batch})"),
            _ when claim is not null => ("claimable", $"claim {claim.Amount} base units from the Vault with the proof (batch {claim.Batch})"),
            _ when w.Batch is not null => ("debited", $"in batch {w.Batch}, whose root is being published"),
            _ => ("debited", $"debited at ledger height {w.LedgerHeight}; waiting for the next batch"),
        };
        long? chainId = claim is not null && chain.Client is { } client ? (long)await client.GetChainIdAsync(cancellationToken) : null;
        return new WithdrawalDto(
            w.Id, w.LedgerAccount.ToString(), w.Wallet.ToString(), w.MicroCredits, status, detail, w.LedgerHeight, w.Batch,
            claim?.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), claim?.Proof.Select(p => p.ToString()).ToList(),
            claim is null ? null : chain.Vault?.Address.ToString(), chainId, w.RequestedAt);
    }

    private static DepositDto ToDto(DepositRecord d, DepositWatcher watcher)
    {
        int required = watcher.Confirmations;
        int confirmations = watcher.Head is { } head && head >= d.BlockNumber ? (int)Math.Min(int.MaxValue, head - d.BlockNumber + 1) : 0;
        string status = d.Status.ToString().ToLowerInvariant();
        string detail = d.Status switch
        {
            DepositStatus.Pending => $"seen, {Math.Min(confirmations, required)} of {required} confirmations",
            DepositStatus.Credited => $"credited at ledger height {d.LedgerHeight}",
            _ => d.Reason ?? status,
        };
        return new DepositDto(
            d.TransactionHash.ToString(), (long)d.LogIndex, (long)d.BlockNumber, d.From.ToString(), d.LedgerAccount.ToString(), d.Amount.ToString(),
            d.MicroCredits, status, detail, confirmations, required, d.LedgerTransactionId, d.LedgerHeight, d.SeenAt, d.CreditedAt);
    }
}
