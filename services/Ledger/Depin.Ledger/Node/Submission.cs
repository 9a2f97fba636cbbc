using Depin.Ledger.Transactions;

namespace Depin.Ledger.Node;

/// <summary>One caller's batch on its way through group commit.</summary>
internal sealed class Submission(Transaction[] transactions)
{
    private int _remaining = transactions.Length;

    public Transaction[] Transactions { get; } = transactions;

    public Receipt[] Receipts { get; } = new Receipt[transactions.Length];

    public TaskCompletionSource<Receipt[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resolve(int index, Receipt receipt)
    {
        Receipts[index] = receipt;
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Completion.TrySetResult(Receipts);
        }
    }
}
