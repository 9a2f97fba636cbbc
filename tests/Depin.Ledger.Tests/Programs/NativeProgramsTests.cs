using Depin.Ledger.Accounts;
using Depin.Ledger.Execution;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Tests.Programs;

public sealed class NativeProgramsTests
{
    private static readonly AccountId Alice = AccountId.FromNumber(1);
    private static readonly AccountId Bob = AccountId.FromNumber(2);
    private static readonly TxId Job = TxId.New();

    private readonly AccountStore _store = new();
    private readonly SequentialExecutor _executor = new(new ExecutionSettings(UnbondingDelayMs: 5_000));
    private readonly BlockOutput _output = new();
    private long _height;
    private long _timestampMs = 1_700_000_000_000;

    /// <summary>Runs <paramref name="tx"/> alone in the next block, <paramref name="afterMs"/> of block time after the previous one.</summary>
    private ReceiptStatus Run(Transaction tx, long afterMs = 1)
    {
        _timestampMs += afterMs;
        _executor.Execute(_store, new[] { tx }, ++_height, _timestampMs, _output);
        return _output.Statuses[0];
    }

    private AccountState State(AccountId id) => _store.Get(id);

    private void Fund(AccountId id, long amount) => Assert.Equal(ReceiptStatus.Success, Run(Transaction.Deposit(TxId.New(), id, amount)));

    [Fact]
    public void Transfer_moves_the_amount()
    {
        Fund(Alice, 100);
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Transfer(TxId.New(), Alice, Bob, 40)));
        Assert.Equal(60, State(Alice).Balance);
        Assert.Equal(40, State(Bob).Balance);
    }

    [Fact]
    public void Transfer_beyond_the_balance_fails_and_changes_nothing()
    {
        Fund(Alice, 100);
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.Transfer(TxId.New(), Alice, Bob, 101)));
        Assert.Equal(100, State(Alice).Balance);
        Assert.Equal(0, State(Bob).Balance);
    }

    [Fact]
    public void Deposit_that_would_overflow_fails()
    {
        Fund(Alice, long.MaxValue - 5);
        Assert.Equal(ReceiptStatus.Overflow, Run(Transaction.Deposit(TxId.New(), Alice, 6)));
        Assert.Equal(long.MaxValue - 5, State(Alice).Balance);
    }

    [Fact]
    public void Transfer_that_would_overflow_the_recipient_fails()
    {
        Fund(Alice, 10);
        Fund(Bob, long.MaxValue);
        Assert.Equal(ReceiptStatus.Overflow, Run(Transaction.Transfer(TxId.New(), Alice, Bob, 1)));
        Assert.Equal(10, State(Alice).Balance);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Non_positive_amounts_are_invalid(long amount) =>
        Assert.Equal(ReceiptStatus.InvalidAmount, Run(Transaction.Transfer(TxId.New(), Alice, Bob, amount)));

    [Fact]
    public void Transfer_to_self_is_a_duplicate_account() =>
        Assert.Equal(ReceiptStatus.DuplicateAccount, Run(Transaction.Transfer(TxId.New(), Alice, Alice, 1)));

    [Fact]
    public void Transfer_from_a_system_account_other_than_the_treasury_or_into_one_is_invalid()
    {
        Assert.Equal(ReceiptStatus.InvalidAccount, Run(Transaction.Transfer(TxId.New(), SystemAccounts.RewardPool, Bob, 1)));
        Assert.Equal(ReceiptStatus.InvalidAccount, Run(Transaction.Transfer(TxId.New(), SystemAccounts.Bridge, Bob, 1)));
        Assert.Equal(ReceiptStatus.InvalidAccount, Run(Transaction.Transfer(TxId.New(), Alice, SystemAccounts.Treasury, 1)));
    }

    [Fact]
    public void The_treasury_pays_out_what_it_holds_and_no_more()
    {
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.Transfer(TxId.New(), SystemAccounts.Treasury, Bob, 1)));
        Fund(Alice, 100);
        Run(Transaction.Stake(TxId.New(), Alice, 100));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Slash(TxId.New(), Alice, 70)));

        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.Transfer(TxId.New(), SystemAccounts.Treasury, Bob, 71)));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Transfer(TxId.New(), SystemAccounts.Treasury, Bob, 70)));
        Assert.Equal(0, State(SystemAccounts.Treasury).Balance);
        Assert.Equal(70, State(Bob).Balance);
    }

    [Fact]
    public void Unknown_program_fails() =>
        Assert.Equal(ReceiptStatus.UnknownProgram, Run(new Transaction(TxId.New(), (ProgramKind)99, Alice, Bob, 1)));

    [Fact]
    public void Withdraw_moves_the_credits_to_the_bridge_account_and_fails_beyond_balance()
    {
        Fund(Alice, 50);
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.Withdraw(TxId.New(), Alice, Bob, 51)));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Withdraw(TxId.New(), Alice, Bob, 50)));
        Assert.Equal(0, State(Alice).Balance);
        Assert.Equal(50, State(SystemAccounts.Bridge).Balance);
        Assert.Equal(0, State(Bob).Balance);
    }

    [Fact]
    public void A_withdrawal_needs_a_wallet_to_pay_on_chain()
    {
        Fund(Alice, 50);
        Assert.Equal(ReceiptStatus.InvalidAccount, Run(Transaction.Withdraw(TxId.New(), Alice, default, 10)));
        Assert.Equal(ReceiptStatus.InvalidAccount, Run(Transaction.Withdraw(TxId.New(), Alice, SystemAccounts.Treasury, 10)));
        Assert.Equal(50, State(Alice).Balance);
    }

    [Fact]
    public void Bridge_release_takes_a_published_batch_out_of_the_bridge_account_and_no_more()
    {
        Fund(Alice, 80);
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Withdraw(TxId.New(), Alice, Bob, 80)));
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.BridgeRelease(TxId.New(), 81)));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.BridgeRelease(TxId.New(), 30)));
        Assert.Equal(50, State(SystemAccounts.Bridge).Balance);
    }

    [Fact]
    public void Escrow_release_pays_provider_fee_and_refunds_the_rest()
    {
        Fund(Alice, 1_000);
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.EscrowLock(TxId.New(), Job, Alice, 600)));
        Assert.Equal(400, State(Alice).Balance);
        Assert.Equal(600, State(AccountId.Escrow(Job)).Balance);

        Assert.Equal(ReceiptStatus.Success, Run(Transaction.EscrowRelease(TxId.New(), Job, Alice, Bob, 500, 50)));
        Assert.Equal(450, State(Bob).Balance);
        Assert.Equal(50, State(SystemAccounts.Treasury).Balance);
        Assert.Equal(500, State(Alice).Balance);
        Assert.Equal(0, State(AccountId.Escrow(Job)).Balance);
        Assert.Equal(EscrowStatus.Released, State(AccountId.Escrow(Job)).Escrow);
    }

    [Fact]
    public void Escrow_cannot_be_released_or_refunded_twice()
    {
        Fund(Alice, 1_000);
        Run(Transaction.EscrowLock(TxId.New(), Job, Alice, 600));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.EscrowRefund(TxId.New(), Job, Alice)));
        Assert.Equal(1_000, State(Alice).Balance);
        Assert.Equal(ReceiptStatus.EscrowNotLocked, Run(Transaction.EscrowRefund(TxId.New(), Job, Alice)));
        Assert.Equal(ReceiptStatus.EscrowNotLocked, Run(Transaction.EscrowRelease(TxId.New(), Job, Alice, Bob, 1, 0)));
        Assert.Equal(ReceiptStatus.EscrowAlreadyExists, Run(Transaction.EscrowLock(TxId.New(), Job, Alice, 1)));
        Assert.Equal(1_000, State(Alice).Balance);
    }

    [Fact]
    public void Escrow_lock_without_funds_locks_nothing()
    {
        Fund(Alice, 10);
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.EscrowLock(TxId.New(), Job, Alice, 11)));
        Assert.Equal(EscrowStatus.None, State(AccountId.Escrow(Job)).Escrow);
        Assert.Equal(10, State(Alice).Balance);
    }

    [Fact]
    public void Escrow_release_checks_owner_amount_and_fee()
    {
        Fund(Alice, 1_000);
        Fund(Bob, 1);
        Run(Transaction.EscrowLock(TxId.New(), Job, Alice, 600));
        Assert.Equal(ReceiptStatus.EscrowOwnerMismatch, Run(Transaction.EscrowRelease(TxId.New(), Job, Bob, Alice, 10, 0)));
        Assert.Equal(ReceiptStatus.EscrowOwnerMismatch, Run(Transaction.EscrowRefund(TxId.New(), Job, Bob)));
        Assert.Equal(ReceiptStatus.AmountExceedsEscrow, Run(Transaction.EscrowRelease(TxId.New(), Job, Alice, Bob, 601, 0)));
        Assert.Equal(ReceiptStatus.FeeExceedsAmount, Run(Transaction.EscrowRelease(TxId.New(), Job, Alice, Bob, 10, 11)));
        Assert.Equal(600, State(AccountId.Escrow(Job)).Balance);
    }

    [Fact]
    public void Stake_unstake_and_complete_after_the_unbonding_delay()
    {
        Fund(Alice, 100);
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.Stake(TxId.New(), Alice, 101)));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Stake(TxId.New(), Alice, 80)));
        Assert.Equal(ReceiptStatus.InsufficientStake, Run(Transaction.Unstake(TxId.New(), Alice, 81)));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Unstake(TxId.New(), Alice, 30)));
        var unbondingAt = _timestampMs;
        Assert.Equal(50, State(Alice).Staked);
        Assert.Equal(30, State(Alice).Unbonding);
        Assert.Equal(unbondingAt + 5_000, State(Alice).UnbondingReleaseMs);

        // The delay is block time: a thousand blocks within a second do not mature it.
        for (var i = 0; i < 1_000; i++)
        {
            Fund(Bob, 1);
        }

        Assert.Equal(ReceiptStatus.UnbondingNotMatured, Run(Transaction.CompleteUnstake(TxId.New(), Alice), afterMs: 3_998));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.CompleteUnstake(TxId.New(), Alice), afterMs: 2));
        Assert.Equal(50, State(Alice).Balance);
        Assert.Equal(0, State(Alice).Unbonding);
        Assert.Equal(ReceiptStatus.NothingUnbonding, Run(Transaction.CompleteUnstake(TxId.New(), Alice)));
    }

    [Fact]
    public void Slash_takes_bonded_then_unbonding_stake_to_the_treasury()
    {
        Fund(Alice, 100);
        Run(Transaction.Stake(TxId.New(), Alice, 100));
        Run(Transaction.Unstake(TxId.New(), Alice, 40));
        Assert.Equal(ReceiptStatus.InsufficientStake, Run(Transaction.Slash(TxId.New(), Alice, 101)));
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.Slash(TxId.New(), Alice, 70)));
        Assert.Equal(0, State(Alice).Staked);
        Assert.Equal(30, State(Alice).Unbonding);
        Assert.Equal(70, State(SystemAccounts.Treasury).Balance);
    }

    [Fact]
    public void Reward_credit_pays_from_the_reward_pool_only_while_it_has_funds()
    {
        Fund(SystemAccounts.RewardPool, 100);
        Assert.Equal(ReceiptStatus.Success, Run(Transaction.RewardCredit(TxId.New(), Bob, 60)));
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(Transaction.RewardCredit(TxId.New(), Bob, 41)));
        Assert.Equal(60, State(Bob).Balance);
        Assert.Equal(40, State(SystemAccounts.RewardPool).Balance);
    }
}
