using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Rewards;
using Depin.Rewards.Anchoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Depin.Rewards.Bridge;

/// <summary>
/// /api/bridge: where and how to deposit, and the status of deposits. Deposits are public on chain, so their status is
/// public too: by transaction hash, or by ledger account.
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
