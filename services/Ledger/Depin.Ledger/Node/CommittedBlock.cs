using Depin.Ledger.Commitment;
using Depin.Ledger.Storage;
using Depin.Ledger.Transactions;

namespace Depin.Ledger.Node;

/// <summary>What the node keeps in memory about a committed block.</summary>
public sealed record CommittedBlock(BlockHeader Header, Hash256 Hash, BlockLocation Location, ReceiptStatus[] Statuses);
