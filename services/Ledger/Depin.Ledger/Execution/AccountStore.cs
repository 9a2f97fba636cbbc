using Depin.Ledger.Accounts;
using Depin.Ledger.Jobs;

namespace Depin.Ledger.Execution;

/// <summary>
/// Committed ledger state: accounts by slot and, beside them in their own slots, the job records (<see cref="Jobs"/>).
/// Accounts stay the small struct they are, so a transfer pays nothing for jobs. Single writer.
/// </summary>
public sealed class AccountStore(int capacity = 1024) : SlotStore<AccountId, AccountState>(capacity)
{
    /// <summary>Job records, in their own slots.</summary>
    public JobStore Jobs { get; private init; } = new();

    /// <summary>Sum of balances, stakes and unbonding stakes over all accounts, plus the escrow job records hold (for conservation checks).</summary>
    public Int128 TotalHoldings()
    {
        Int128 total = Jobs.TotalEscrow();
        for (var i = 0; i < Count; i++)
        {
            ref var state = ref StateAt(i);
            total += state.Balance;
            total += state.Staked;
            total += state.Unbonding;
        }

        return total;
    }

    public AccountStore Clone()
    {
        var copy = new AccountStore(Capacity) { Jobs = Jobs.Clone() };
        CopyTo(copy);
        return copy;
    }
}
