using Depin.Ledger.Commitment;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Storage;

/// <summary>A block as read back from the log.</summary>
public sealed record StoredBlock(BlockHeader Header, Transaction[] Transactions, ReceiptStatus[] Statuses, BlockLocation Location);
