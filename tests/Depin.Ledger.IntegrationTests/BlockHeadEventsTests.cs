using System.Net.Http.Json;
using Depin.Contracts.Events;
using Depin.Contracts.Ledger;
using Depin.ServiceDefaults.Eventing.Redis;
using Depin.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Depin.Ledger.IntegrationTests;

/// <summary>The ledger process publishes its head over Redis Streams, and another process's subscriber receives it.</summary>
public sealed class BlockHeadEventsTests
{
    [Fact]
    public async Task The_ledger_process_publishes_committed_heads_that_a_subscriber_elsewhere_receives()
    {
        await using var redis = await RedisServer.StartAsync();
        using var data = new TempDirectory();
        await using var ledger = await LedgerProcess.StartAsync(data.Path, new Dictionary<string, string>
        {
            ["ConnectionStrings__pubsub"] = redis.ConnectionString,
            ["Eventing__AppId"] = "ledger",
        });

        var heads = new List<BlockCommittedEvent>();
        using var bus = new RedisStreamsEventBus(
            new ServiceCollection().BuildServiceProvider(), NullLogger<RedisStreamsEventBus>.Instance, Options.Create(new RedisEventingOptions()), redis.ConnectionString, "rewards");
        bus.Subscribe<BlockCommittedEvent>(Topics.BlockCommitted, (head, _, _) =>
        {
            lock (heads)
            {
                heads.Add(head);
            }

            return Task.CompletedTask;
        });
        await bus.StartAsync(CancellationToken.None);

        SubmitTransactionsResponse last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await ledger.SubmitAsync(new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: "0xa11ce00000000000000000000000000000000001", Amount: 1_000));
        }

        var height = last.Receipts[0].Height;
        var block = await ledger.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/ledger/blocks/{height}");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !HasHead(heads, height))
        {
            await Task.Delay(50);
        }

        await bus.StopAsync(CancellationToken.None);
        lock (heads)
        {
            var head = Assert.Single(heads, h => h.Height == height);
            Assert.Equal(block.GetProperty("hash").GetString(), head.Hash);
            Assert.Equal(block.GetProperty("stateRoot").GetString(), head.StateRoot);
            Assert.True(heads.Select(h => h.Height).SequenceEqual(heads.Select(h => h.Height).Order()), "heads arrive in order");
        }
    }

    private static bool HasHead(List<BlockCommittedEvent> heads, long height)
    {
        lock (heads)
        {
            return heads.Any(h => h.Height == height);
        }
    }
}
