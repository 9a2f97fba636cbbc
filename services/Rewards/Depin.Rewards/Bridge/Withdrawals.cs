using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Epochs;
using Microsoft.Extensions.Logging;

namespace Depin.Rewards.Bridge;

/// <summary>A withdrawal's claim on the Vault: the wallet's total in the batch and the proof that leads to the batch's root.</summary>
public sealed record WithdrawalClaim(long Batch, Address Wallet, BigInteger Amount, IReadOnlyList<Hash32> Proof);

/// <summary>
/// The only way out. A withdrawal is recorded first, then the ledger's <c>withdraw</c> (under the record's id) moves the
/// credits to the bridge account; a record whose answer was lost is resolved by submitting the same id again. Batches sum
/// the debited withdrawals per wallet into a Merkle root set on the Vault, then <c>bridge-release</c> takes the batch out
/// of the bridge account; each step is skipped when already done, so a batch resumed after a crash is published and
/// released once. The owner claims from the Vault with the proof from <see cref="ClaimAsync"/>.
/// </summary>
public sealed partial class Withdrawals(IWithdrawalStore store, ILedgerClient ledger, RewardsChain chain, TimeProvider time, ILogger<Withdrawals> logger)
{
    private static readonly Guid ReleaseNamespace = new("b7d0c4a1-5e2f-5a93-8c61-0f4e2d7b9a30");
    private readonly SemaphoreSlim _batching = new(1, 1);

    // A batch's withdrawals never change once it exists: its tree is built once per process, not at every read of a claim.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, PayoutMerkleTree> _trees = new();

    public bool IsEnabled => chain.Vault is not null;

    /// <summary>Records and executes a withdrawal; asking again with the same id returns the first one.</summary>
    public async Task<WithdrawalRecord> RequestAsync(string id, Address ledgerAccount, Address wallet, long microCredits, CancellationToken cancellationToken = default)
    {
        WithdrawalRecord record = await store.AddWithdrawalAsync(
            new WithdrawalRecord(id, ledgerAccount, wallet, microCredits, WithdrawalStatus.Requested, null, null, null, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        if (record.LedgerAccount != ledgerAccount || record.Wallet != wallet || record.MicroCredits != microCredits)
        {
            throw new ArgumentException($"Withdrawal {id} exists with other terms.", nameof(id));
        }

        return record.Status == WithdrawalStatus.Requested ? await SubmitAsync(record, cancellationToken).ConfigureAwait(false) : record;
    }

    public Task<WithdrawalRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => store.GetWithdrawalAsync(id, cancellationToken);

    /// <summary>Resolves withdrawals whose ledger answer is unknown, finishes open batches and forms a new one; returns its number, if any.</summary>
    public async Task<long?> BatchAsync(CancellationToken cancellationToken = default)
    {
        VaultContract vault = chain.Vault ?? throw new InvalidOperationException("Rewards:Chain:VaultAddress is not configured.");
        await _batching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (WithdrawalRecord requested in (await store.GetUnbatchedAsync(cancellationToken).ConfigureAwait(false)).Where(w => w.Status == WithdrawalStatus.Requested))
            {
                await SubmitAsync(requested, cancellationToken).ConfigureAwait(false);
            }

            foreach (WithdrawalBatch open in await store.GetOpenBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                await FinishAsync(vault, open, cancellationToken).ConfigureAwait(false);
            }

            List<WithdrawalRecord> debited = [.. (await store.GetUnbatchedAsync(cancellationToken).ConfigureAwait(false)).Where(w => w.Status == WithdrawalStatus.Debited)];
            if (debited.Count == 0)
            {
                return null;
            }

            long number = await store.NextBatchNumberAsync(cancellationToken).ConfigureAwait(false);
            PayoutMerkleTree tree = Tree(number, debited);
            BigInteger total = debited.Aggregate(BigInteger.Zero, (sum, w) => sum + (w.MicroCredits * VaultContract.UnitsPerMicroCredit));
            await store.CreateBatchAsync(number, tree.Root, total, [.. debited.Select(w => w.Id)], time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await FinishAsync(vault, (await store.GetBatchAsync(number, cancellationToken).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
            LogBatch(number, debited.Count, tree.Count, total);
            return number;
        }
        finally
        {
            _batching.Release();
        }
    }

    /// <summary>The claim of withdrawal <paramref name="id"/>'s wallet once its batch's root is on the Vault; null before.</summary>
    public async Task<WithdrawalClaim?> ClaimAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken = default)
    {
        if (withdrawal.Batch is not { } number ||
            await store.GetBatchAsync(number, cancellationToken).ConfigureAwait(false) is not { Status: >= WithdrawalBatchStatus.RootPublished })
        {
            return null;
        }

        if (!_trees.TryGetValue(number, out PayoutMerkleTree? tree))
        {
            tree = _trees.GetOrAdd(number, Tree(number, await store.GetBatchWithdrawalsAsync(number, cancellationToken).ConfigureAwait(false)));
        }

        int index = tree.IndexOf(withdrawal.Wallet);
        return new WithdrawalClaim(number, withdrawal.Wallet, (BigInteger)tree.Payouts[index].Amount, tree.GetProof(index));
    }

    /// <summary>Whether the wallet of <paramref name="claim"/> has claimed it on the Vault.</summary>
    public Task<bool> IsClaimedAsync(WithdrawalClaim claim, CancellationToken cancellationToken = default) =>
        chain.Vault!.IsWithdrawnAsync((ulong)claim.Batch, claim.Wallet, cancellationToken);

    /// <summary>The ledger id of batch <paramref name="number"/>'s release from the bridge account.</summary>
    public static Guid ReleaseId(long number) => NameBasedIds.V5(ReleaseNamespace, $"withdrawal-batch/{number}");

    /// <summary>A batch's tree: one leaf per wallet, its withdrawals summed, in base units, ordered by wallet.</summary>
    private static PayoutMerkleTree Tree(long number, IEnumerable<WithdrawalRecord> withdrawals) => new(
        (ulong)number,
        [.. withdrawals.GroupBy(w => w.Wallet)
            .OrderBy(g => g.Key.ToLowerHex(), StringComparer.Ordinal)
            .Select(g => new Payout(g.Key, (UInt128)g.Sum(w => w.MicroCredits) * (UInt128)(ulong)VaultContract.UnitsPerMicroCredit))]);

    private async Task<WithdrawalRecord> SubmitAsync(WithdrawalRecord withdrawal, CancellationToken cancellationToken)
    {
        ReceiptDto receipt = (await ledger.SubmitAsync(
            [new LedgerTransactionDto(withdrawal.Id, "withdraw", From: withdrawal.LedgerAccount.ToLowerHex(), To: withdrawal.Wallet.ToLowerHex(), Amount: withdrawal.MicroCredits)],
            cancellationToken).ConfigureAwait(false))[0];
        WithdrawalStatus status = receipt.Succeeded ? WithdrawalStatus.Debited : WithdrawalStatus.Refused;
        long? height = receipt.Succeeded ? receipt.Height : null;
        string? reason = receipt.Succeeded ? null : receipt.Status;
        await store.SetOutcomeAsync(withdrawal.Id, status, height, reason, cancellationToken).ConfigureAwait(false);
        return withdrawal with { Status = status, LedgerHeight = height, Reason = reason };
    }

    private async Task FinishAsync(VaultContract vault, WithdrawalBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Status < WithdrawalBatchStatus.RootPublished)
        {
            Hash32 onChain = await vault.WithdrawalRootAsync((ulong)batch.Number, cancellationToken).ConfigureAwait(false);
            string? transaction = null;
            if (onChain == Hash32.Zero)
            {
                transaction = (await vault.SetWithdrawalRootAsync((ulong)batch.Number, batch.Root, batch.Total, cancellationToken).ConfigureAwait(false)).TransactionHash.ToString();
            }
            else if (onChain != batch.Root)
            {
                throw new InvalidOperationException($"The Vault holds root {onChain} for withdrawal batch {batch.Number}, not {batch.Root}: is this store paired with another Vault?");
            }

            await store.AdvanceBatchAsync(batch.Number, WithdrawalBatchStatus.RootPublished, transaction, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Status < WithdrawalBatchStatus.Released)
        {
            long microCredits = (long)(batch.Total / VaultContract.UnitsPerMicroCredit);
            ReceiptDto receipt = (await ledger.SubmitAsync(
                [new LedgerTransactionDto(ReleaseId(batch.Number).ToString(), "bridge-release", Amount: microCredits)], cancellationToken).ConfigureAwait(false))[0];
            if (!receipt.Succeeded)
            {
                throw new InvalidOperationException($"The ledger refused to release withdrawal batch {batch.Number} ({microCredits} micro-credits) from the bridge account: {receipt.Status}.");
            }

            await store.AdvanceBatchAsync(batch.Number, WithdrawalBatchStatus.Released, null, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Withdrawal batch {Batch}: {Withdrawals} withdrawals to {Wallets} wallets, {Total} base units, root on the Vault and released from the bridge account")]
    private partial void LogBatch(long batch, int withdrawals, int wallets, BigInteger total);
}
