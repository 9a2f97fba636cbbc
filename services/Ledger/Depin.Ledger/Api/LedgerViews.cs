using Depin.Contracts.Ledger;
using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Node;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Api;

/// <summary>Domain → wire mapping.</summary>
public static class LedgerViews
{
    public static ReceiptDto ToDto(this Receipt receipt) =>
        new(receipt.Id.ToString(), receipt.Height, receipt.Index, receipt.Status.Name(), receipt.Succeeded);

    public static AccountDto ToDto(this AccountState state, AccountId id, long height) => new(
        id.ToString(),
        state.Balance,
        state.Staked,
        state.Unbonding,
        state.UnbondingReleaseHeight,
        state.EscrowOwner.IsZero ? null : state.EscrowOwner.ToString(),
        state.Escrow.ToString().ToLowerInvariant(),
        height);

    public static BlockDto ToDto(this CommittedBlock block, StoredBlock stored)
    {
        var receipts = new ReceiptDto[stored.Transactions.Length];
        for (var i = 0; i < receipts.Length; i++)
        {
            receipts[i] = new Receipt(stored.Transactions[i].Id, block.Header.Height, i, stored.Statuses[i]).ToDto();
        }

        return new BlockDto(
            block.Header.Height,
            block.Hash.ToString(),
            block.Header.PreviousHash.ToString(),
            block.Header.StateRoot.ToString(),
            block.Header.ReceiptsRoot.ToString(),
            DateTimeOffset.FromUnixTimeMilliseconds(block.Header.TimestampMs),
            block.Header.TransactionCount,
            receipts);
    }

    public static AccountProofDto ToDto(this AccountProof proof) => new(
        proof.Height,
        proof.StateRoot.ToString(),
        proof.State.ToDto(proof.Account, proof.Height),
        StateTree.LeafHash(proof.Account, proof.State).ToString(),
        proof.Slot,
        proof.Siblings.Select(s => s.ToString()).ToArray());
}
