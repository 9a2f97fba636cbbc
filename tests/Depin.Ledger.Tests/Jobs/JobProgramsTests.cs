using Depin.Ledger.Accounts;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Jobs;
using Depin.Ledger.Programs;
using Depin.Ledger.Transactions;
using static Depin.Ledger.Tests.RandomJobBlocks;

namespace Depin.Ledger.Tests.Jobs;

public sealed class JobProgramsTests
{
    private static readonly AccountId Customer = AccountId.FromNumber(1);
    private static readonly AccountId Provider = AccountId.FromNumber(2);
    private static readonly TxId Worker = TxId.Derive("worker");
    private static readonly TxId Job = TxId.Derive("job");
    private const long T0 = 1_700_000_000_000;

    private readonly AccountStore _store = new();
    private readonly SequentialExecutor _executor = new(ExecutionSettings.Default);
    private readonly BlockOutput _output = new();
    private long _height;

    public JobProgramsTests() => Run(T0, Transaction.Deposit(TxId.New(), Customer, 10_000));

    private ReceiptStatus Run(long now, Transaction tx)
    {
        _executor.Execute(_store, new[] { tx }, ++_height, now, _output);
        return _output.Statuses[0];
    }

    private JobRecord Record => _store.Jobs.Get(Job);

    private long Balance(AccountId id) => _store.Get(id).Balance;

    private void SubmitAndLease(long deadline = T0 + 60_000, byte attempts = 2)
    {
        Assert.Equal(ReceiptStatus.Success, Run(T0, Submit(Job, Customer, 1_000, deadline, attempts)));
        Assert.Equal(ReceiptStatus.Success, Run(T0, Lease(Job, Worker, Provider, T0 + 10_000)));
    }

    [Fact]
    public void Submit_creates_the_record_and_locks_the_escrow_in_it_once()
    {
        Assert.Equal(ReceiptStatus.Success, Run(T0, Submit(Job, Customer, 1_000, T0 + 60_000)));

        Assert.Equal(ReceiptStatus.JobAlreadyExists, Run(T0, Submit(Job, Customer, 2_000, T0 + 60_000)));
        Assert.Equal(9_000, Balance(Customer));
        Assert.Equal(JobStatus.Queued, Record.Status);
        Assert.Equal(1_000, Record.Escrow);
        Assert.Equal(Customer, Record.Customer);
        Assert.Equal(T0, Record.CreatedAt);
        Assert.Equal((Int128)10_000, _store.TotalHoldings());
    }

    [Fact]
    public void Submit_with_a_deadline_already_passed_or_more_than_the_balance_changes_nothing()
    {
        Assert.Equal(ReceiptStatus.DeadlinePassed, Run(T0, Submit(Job, Customer, 1_000, T0)));
        Assert.Equal(ReceiptStatus.InsufficientFunds, Run(T0, Submit(Job, Customer, 10_001, T0 + 1)));

        Assert.Equal(JobStatus.None, Record.Status);
        Assert.Equal(10_000, Balance(Customer));
    }

    [Fact]
    public void Only_the_leaseholder_with_the_current_token_completes_and_only_before_the_lease_deadline()
    {
        SubmitAndLease();
        var token = Record.FencingToken;

        Assert.Equal(ReceiptStatus.NotLeaseholder, Run(T0 + 1, Complete(Job, Worker, token - 1, default)));
        Assert.Equal(ReceiptStatus.NotLeaseholder, Run(T0 + 1, Complete(Job, TxId.Derive("other"), token, default)));
        Assert.Equal(ReceiptStatus.LeaseExpired, Run(T0 + 10_001, Complete(Job, Worker, token, default)));
        Assert.Equal(JobStatus.Leased, Record.Status);

        var digest = Hash256.Compute([1, 2, 3]);
        Assert.Equal(ReceiptStatus.Success, Run(T0 + 9_000, Complete(Job, Worker, token, digest)));
        Assert.Equal(JobStatus.Completed, Record.Status);
        Assert.Equal(digest, Record.ResultDigest);
    }

    [Fact]
    public void Settle_pays_the_provider_the_treasury_and_refunds_the_rest_exactly_once()
    {
        SubmitAndLease();
        Run(T0 + 1, Complete(Job, Worker, Record.FencingToken, default));

        Assert.Equal(ReceiptStatus.ProviderMismatch, Run(T0 + 2, Settle(Job, Customer, AccountId.FromNumber(77), 400, 10)));
        Assert.Equal(ReceiptStatus.PriceMismatch, Run(T0 + 2, Settle(Job, Customer, Provider, 401, 10)));
        Assert.Equal(ReceiptStatus.PriceMismatch, Run(T0 + 2, Settle(Job, Customer, Provider, 400, 0)));
        Assert.Equal(ReceiptStatus.Success, Run(T0 + 2, Settle(Job, Customer, Provider, 400, 10)));
        Assert.Equal(ReceiptStatus.JobWrongStatus, Run(T0 + 3, Settle(Job, Customer, Provider, 400, 10)));
        Assert.Equal(ReceiptStatus.JobWrongStatus, Run(T0 + 3, Cancel(Job, Customer)));
        Assert.Equal(ReceiptStatus.JobWrongStatus, Run(T0 + 70_000, Expire(Job, Customer)));

        Assert.Equal(390, Balance(Provider));
        Assert.Equal(10, Balance(SystemAccounts.Treasury));
        Assert.Equal(9_600, Balance(Customer));
        Assert.Equal(JobStatus.Settled, Record.Status);
        Assert.Equal((400L, 10L, 0L, T0 + 2), (Record.Price, Record.Fee, Record.Escrow, Record.FinishedAt));
    }

    [Fact]
    public void A_lease_agrees_a_price_within_the_escrow_and_a_requeue_forgets_it()
    {
        Assert.Equal(ReceiptStatus.Success, Run(T0, Submit(Job, Customer, 1_000, T0 + 60_000)));
        Assert.Equal(ReceiptStatus.AmountExceedsEscrow, Run(T0, Lease(Job, Worker, Provider, T0 + 10_000, 1_001, 0)));
        Assert.Equal(ReceiptStatus.FeeExceedsAmount, NativePrograms.CheckShape(Lease(Job, Worker, Provider, T0 + 10_000, 5, 6)));
        Assert.Equal(ReceiptStatus.Success, Run(T0, Lease(Job, Worker, Provider, T0 + 10_000, 700, 20)));
        Assert.Equal((700L, 20L), (Record.Price, Record.Fee));

        Assert.Equal(ReceiptStatus.Success, Run(T0 + 1, Fail(Job, Customer, Worker, 1)));
        Assert.Equal((JobStatus.Queued, 0L, 0L), (Record.Status, Record.Price, Record.Fee));
    }

    [Fact]
    public void A_released_lease_requeues_the_job_without_spending_its_attempt_budget()
    {
        SubmitAndLease(attempts: 1);
        Assert.Equal(ReceiptStatus.NotLeaseholder, Run(T0 + 1, Release(Job, TxId.Derive("other"), 1)));
        Assert.Equal(ReceiptStatus.Success, Run(T0 + 1, Release(Job, Worker, 1)));
        Assert.Equal((JobStatus.Queued, (byte)0, 0L), (Record.Status, Record.Attempt, Record.Price));

        Assert.Equal(ReceiptStatus.Success, Run(T0 + 2, Lease(Job, Worker, Provider, T0 + 10_000)));
        Assert.Equal((2L, (byte)1), (Record.FencingToken, Record.Attempt));
        Assert.Equal(ReceiptStatus.NotLeaseholder, Run(T0 + 3, Release(Job, Worker, 1)));
        Assert.Equal(ReceiptStatus.LeaseExpired, Run(T0 + 10_001, Release(Job, Worker, 2)));
    }

    [Fact]
    public void A_failed_attempt_requeues_until_the_budget_is_spent_then_refunds()
    {
        SubmitAndLease(attempts: 2);
        Assert.Equal(ReceiptStatus.LeaseNotExpired, Run(T0 + 1, Fail(Job, Customer, default, 0)));
        Assert.Equal(ReceiptStatus.Success, Run(T0 + 10_001, Fail(Job, Customer, default, 0)));
        Assert.Equal(JobStatus.Queued, Record.Status);

        Assert.Equal(ReceiptStatus.Success, Run(T0 + 10_002, Lease(Job, Worker, Provider, T0 + 20_000)));
        Assert.Equal(2, Record.FencingToken);
        Assert.Equal(ReceiptStatus.Success, Run(T0 + 10_003, Fail(Job, Customer, Worker, 2)));

        Assert.Equal(JobStatus.Failed, Record.Status);
        Assert.Equal(0, Record.Escrow);
        Assert.Equal(10_000, Balance(Customer));
    }

    [Fact]
    public void A_job_expires_only_after_its_deadline_and_is_refunded()
    {
        SubmitAndLease(deadline: T0 + 5_000);

        Assert.Equal(ReceiptStatus.DeadlineNotReached, Run(T0 + 4_999, Expire(Job, Customer)));
        Assert.Equal(ReceiptStatus.CustomerMismatch, Run(T0 + 5_000, Expire(Job, Provider)));
        Assert.Equal(ReceiptStatus.Success, Run(T0 + 5_000, Expire(Job, Customer)));

        Assert.Equal(JobStatus.Expired, Record.Status);
        Assert.Equal(10_000, Balance(Customer));
    }

    [Fact]
    public void Only_a_queued_job_is_cancelled()
    {
        Run(T0, Submit(Job, Customer, 1_000, T0 + 60_000));
        Assert.Equal(ReceiptStatus.CustomerMismatch, Run(T0, Cancel(Job, Provider)));
        Assert.Equal(ReceiptStatus.Success, Run(T0, Cancel(Job, Customer)));

        Assert.Equal(ReceiptStatus.JobWrongStatus, Run(T0, Lease(Job, Worker, Provider, T0 + 1_000)));
        Assert.Equal(JobStatus.Cancelled, Record.Status);
        Assert.Equal(10_000, Balance(Customer));
    }

    [Fact]
    public void A_lease_needs_time_before_the_deadline_and_a_future_lease_deadline()
    {
        Run(T0, Submit(Job, Customer, 1_000, T0 + 5_000));

        Assert.Equal(ReceiptStatus.InvalidPayload, Run(T0 + 1, Lease(Job, Worker, Provider, T0 + 1)));
        Assert.Equal(ReceiptStatus.DeadlinePassed, Run(T0 + 5_000, Lease(Job, Worker, Provider, T0 + 9_000)));
        Assert.Equal(ReceiptStatus.JobNotFound, Run(T0, Lease(TxId.Derive("nobody"), Worker, Provider, T0 + 1_000)));
        Assert.Equal(JobStatus.Queued, Record.Status);
    }
}
