namespace Depin.Ledger.Node;

/// <summary>The pending queue is full; the caller should retry later.</summary>
public sealed class LedgerBusyException(int pending) : Exception($"The ledger has {pending} transactions pending; retry shortly.")
{
    public int Pending { get; } = pending;
}
