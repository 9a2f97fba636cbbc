using Depin.Chain;
using Depin.Rewards.Emission;
using Depin.Rewards.Epochs;
using Depin.Rewards.IntegrationTests.Support;
using Depin.Rewards.Storage;
using Npgsql;

namespace Depin.Rewards.IntegrationTests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresEpochStoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = "rewards_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private PostgresEpochStore NewStore() => new(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = _database }.ConnectionString);

    private static EpochRecord Record(long epoch, int providers) =>
        new(epoch, Start.AddHours(epoch), Start.AddHours(epoch + 1), 1_000, 400, 600, 0, providers, "0x" + new string('a', 64), EpochStatus.Computed, 0, null, Start.AddHours(epoch + 1), null);

    private static ProviderReward[] Rewards(params (int Seed, long Availability, long Work)[] rewards) =>
        [.. rewards.Select(r => new ProviderReward(new Address(Enumerable.Repeat((byte)r.Seed, 20).ToArray()), r.Availability, r.Work))];

    [Fact]
    public async Task Tables_are_created_on_start_and_genesis_is_set_once()
    {
        await using PostgresEpochStore store = NewStore();

        DateTimeOffset first = await store.GetOrInitializeGenesisAsync(Start);
        DateTimeOffset second = await store.GetOrInitializeGenesisAsync(Start.AddDays(1));
        await using PostgresEpochStore restarted = NewStore();

        Assert.Equal(Start, first);
        Assert.Equal(Start, second);
        Assert.Equal(Start, await restarted.GetOrInitializeGenesisAsync(Start.AddDays(2)));
        Assert.Equal(0, await restarted.NextEpochToCloseAsync());
    }

    [Fact]
    public async Task Computed_epoch_round_trips_and_the_first_save_wins()
    {
        await using PostgresEpochStore store = NewStore();
        ProviderReward[] rewards = Rewards((3, 100, 200), (1, 300, 0), (2, 0, 400));

        EpochRecord saved = await store.SaveComputedAsync(Record(0, 3), rewards);
        EpochRecord again = await store.SaveComputedAsync(Record(0, 1) with { Emission = 5 }, Rewards((9, 5, 0)));

        Assert.Equal(Record(0, 3), saved);
        Assert.Equal(Record(0, 3), again);
        Assert.Equal(Record(0, 3), await store.GetEpochAsync(0));
        Assert.Equal(rewards.OrderBy(r => r.Account), await store.GetRewardsAsync(0));
        Assert.Equal(rewards[0], await store.GetRewardAsync(0, rewards[0].Account));
        Assert.Null(await store.GetRewardAsync(0, Address.Zero));
    }

    [Fact]
    public async Task Status_only_moves_forward_and_records_anchor_and_close_time()
    {
        await using PostgresEpochStore store = NewStore();
        await store.SaveComputedAsync(Record(0, 0), []);

        await store.AdvanceAsync(0, EpochStatus.Anchored, anchorTransaction: "0xabc");
        await store.AdvanceAsync(0, EpochStatus.Credited);
        EpochRecord anchored = (await store.GetEpochAsync(0))!;
        await store.AdvanceAsync(0, EpochStatus.Published, closedAt: Start.AddHours(2));
        int attempt = await store.IncrementCreditAttemptAsync(0, 0);
        int stale = await store.IncrementCreditAttemptAsync(0, 0);

        Assert.Equal(EpochStatus.Anchored, anchored.Status);
        Assert.Equal("0xabc", anchored.AnchorTransaction);
        EpochRecord published = (await store.GetEpochAsync(0))!;
        Assert.Equal(EpochStatus.Published, published.Status);
        Assert.Equal("0xabc", published.AnchorTransaction);
        Assert.Equal(Start.AddHours(2), published.ClosedAt);
        Assert.Equal(1, attempt);
        Assert.Equal(1, stale);
    }

    [Fact]
    public async Task Epochs_page_newest_first_and_resume_at_the_first_unpublished()
    {
        await using PostgresEpochStore store = NewStore();
        for (long e = 0; e < 5; e++)
        {
            await store.SaveComputedAsync(Record(e, 0), []);
            if (e != 2)
            {
                await store.AdvanceAsync(e, EpochStatus.Published);
            }
        }

        Assert.Equal([4L, 3], (await store.ListEpochsAsync(null, 2)).Select(r => r.Epoch));
        Assert.Equal([2L, 1], (await store.ListEpochsAsync(3, 2)).Select(r => r.Epoch));
        Assert.Equal(2, await store.NextEpochToCloseAsync());
        await store.AdvanceAsync(2, EpochStatus.Published);
        Assert.Equal(5, await store.NextEpochToCloseAsync());
    }

    [Fact]
    public async Task Provider_rewards_list_newest_first_with_credited_and_pending_totals()
    {
        await using PostgresEpochStore store = NewStore();
        ProviderReward[] e0 = Rewards((1, 10, 5), (2, 7, 0));
        await store.SaveComputedAsync(Record(0, 2), e0);
        await store.SaveComputedAsync(Record(1, 1), Rewards((2, 1, 1)));
        await store.SaveComputedAsync(Record(2, 1), Rewards((1, 100, 0)));
        await store.AdvanceAsync(0, EpochStatus.Credited);

        ProviderRewardHistory history = await store.GetProviderRewardsAsync(e0[0].Account, 1);
        ProviderRewardHistory none = await store.GetProviderRewardsAsync(Rewards((3, 1, 1))[0].Account, 10);

        Assert.Equal((15, 100), (history.Credited, history.Pending));
        Assert.Equal(new ProviderEpochReward(2, new ProviderReward(e0[0].Account, 100, 0), Credited: false), Assert.Single(history.Epochs));
        Assert.Equal((0, 0, 0), (none.Credited, none.Pending, none.Epochs.Count));
    }

    [Fact]
    public async Task A_hundred_thousand_payouts_are_written_in_one_transaction()
    {
        await using PostgresEpochStore store = NewStore();
        ProviderReward[] many = [.. Enumerable.Range(0, 100_000).Select(i =>
        {
            byte[] bytes = new byte[20];
            BitConverter.TryWriteBytes(bytes.AsSpan(16), i);
            return new ProviderReward(new Address(bytes), i, 1);
        })];

        await store.SaveComputedAsync(Record(0, many.Length), many);

        Assert.Equal(100_000, (await store.GetRewardsAsync(0)).Count);
    }
}
