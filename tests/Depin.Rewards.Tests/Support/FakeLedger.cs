using System.Collections.Concurrent;
using Depin.Contracts.Ledger;

namespace Depin.Rewards.Tests.Support;

/// <summary>An idempotent in-memory ledger with the reward-credit semantics of the real one: a known id returns its original receipt and pays nothing again.</summary>
public sealed class FakeLedger(long rewardPool = long.MaxValue / 2) : ILedgerClient
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ReceiptDto> _receipts = [];
    private long _height;

    public long RewardPool { get; set; } = rewardPool;

    public ConcurrentDictionary<string, long> Balances { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many reward credits actually paid each account (not counting idempotent repeats).</summary>
    public ConcurrentDictionary<string, int> PaidCredits { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int SubmitCalls { get; private set; }

    public Task<IReadOnlyList<ReceiptDto>> SubmitAsync(IReadOnlyList<LedgerTransactionDto> transactions, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            SubmitCalls++;
            _height++;
            var receipts = new List<ReceiptDto>(transactions.Count);
            for (int i = 0; i < transactions.Count; i++)
            {
                LedgerTransactionDto tx = transactions[i];
                if (_receipts.TryGetValue(tx.Id, out ReceiptDto? existing))
                {
                    receipts.Add(existing);
                    continue;
                }

                Assert.Equal("reward-credit", tx.Program);
                Assert.Null(tx.From);
                ReceiptDto receipt;
                if (RewardPool < tx.Amount!.Value)
                {
                    receipt = new ReceiptDto(tx.Id, _height, i, "insufficient-funds", false);
                }
                else
                {
                    RewardPool -= tx.Amount.Value;
                    Balances.AddOrUpdate(tx.To!, tx.Amount.Value, (_, b) => b + tx.Amount.Value);
                    PaidCredits.AddOrUpdate(tx.To!, 1, (_, c) => c + 1);
                    receipt = new ReceiptDto(tx.Id, _height, i, "success", true);
                }

                _receipts[tx.Id] = receipt;
                receipts.Add(receipt);
            }

            return Task.FromResult<IReadOnlyList<ReceiptDto>>(receipts);
        }
    }

    public Task<AccountDto> GetAccountAsync(string address, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AccountDto(address, Balances.GetValueOrDefault(address), 0, 0, 0, null, "0", _height));

    public Task<ReceiptDto?> GetReceiptAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_receipts.GetValueOrDefault(id));
        }
    }
}
