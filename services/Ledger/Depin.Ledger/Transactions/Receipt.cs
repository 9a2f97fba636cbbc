namespace Depin.Ledger.Transactions;

/// <summary>What happened to a transaction: its block height, position, and status.</summary>
public readonly record struct Receipt(TxId Id, long Height, int Index, ReceiptStatus Status)
{
    public bool Succeeded => Status == ReceiptStatus.Success;
}
