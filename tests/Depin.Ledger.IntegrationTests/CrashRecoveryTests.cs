using Depin.Testing;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using Depin.Contracts.Ledger;
using Depin.Ledger.Commitment;
using Depin.Ledger.Execution;
using Depin.Ledger.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Depin.Ledger.IntegrationTests;

public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_acknowledged_transaction_survives_sigkill_and_roots_match_a_replay()
    {
        var settings = new Dictionary<string, string> { ["Ledger__SnapshotIntervalBlocks"] = "5" };
        var acknowledged = new ConcurrentDictionary<string, ReceiptDto>();
        var random = new Random(11);
        for (var round = 0; round < 3; round++)
        {
            await using (var ledger = await LedgerProcess.StartAsync(_data.Path, settings))
            {
                using var stop = new CancellationTokenSource();
                var load = Enumerable.Range(0, 4).Select(worker => Load(ledger, acknowledged, worker + round * 10, stop.Token)).ToArray();
                await Task.Delay(random.Next(300, 1500));
                ledger.Kill();
                stop.Cancel();
                await Task.WhenAll(load);
            }

            await using var restarted = await LedgerProcess.StartAsync(_data.Path, settings);
            foreach (var (id, receipt) in acknowledged)
            {
                Assert.Equal(receipt, await restarted.Http.GetFromJsonAsync<ReceiptDto>($"/api/ledger/transactions/{id}"));
            }

            restarted.Kill();
        }

        Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} transactions were acknowledged");
        AssertLogReplaysToStoredRoots(Path.Combine(_data.Path, "blocks"));
    }

    private static async Task Load(LedgerProcess ledger, ConcurrentDictionary<string, ReceiptDto> acknowledged, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        while (!stop.IsCancellationRequested)
        {
            var batch = Enumerable.Range(0, 50).Select(_ =>
            {
                var to = $"0xc0de{random.Next(1, 200):x36}";
                return random.Next(3) == 0
                    ? new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: to, Amount: random.Next(1, 1_000))
                    : new LedgerTransactionDto(Guid.NewGuid().ToString(), "transfer", From: $"0xc0de{random.Next(1, 200):x36}", To: to, Amount: random.Next(1, 500));
            }).Where(t => t.From != t.To).ToArray();
            try
            {
                var response = await ledger.SubmitAsync(batch);
                foreach (var receipt in response.Receipts)
                {
                    acknowledged[receipt.Id] = receipt;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                return;
            }
        }
    }

    private static void AssertLogReplaysToStoredRoots(string blocks)
    {
        var store = new AccountStore();
        var tree = new LedgerStateTree();
        var executor = new SequentialExecutor(ExecutionSettings.Default with { UnbondingDelayMs = 100_000 });
        var output = new BlockOutput();
        var previous = Hash256.Zero;
        var count = 0;
        using var log = new BlockLog(blocks, NullLogger.Instance);
        log.Open(null, block =>
        {
            Assert.Equal(previous, block.Header.PreviousHash);
            executor.Execute(store, block.Transactions, block.Header.Height, block.Header.TimestampMs, output);
            Assert.Equal(block.Header.StateRoot, tree.Update(store));
            Assert.Equal(block.Header.ReceiptsRoot, output.ReceiptsRoot());
            previous = block.Header.Hash;
            count++;
        });
        Assert.True(count > 0);
    }
}
