using System.Net.Http.Json;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Contracts.Rewards;
using Depin.Rewards.Epochs;
using Depin.Rewards.IntegrationTests.Support;
using Npgsql;
using Nethereum.Signer;

namespace Depin.Rewards.IntegrationTests;

/// <summary>
/// The Hangfire recurring job closes epochs by itself, with Hangfire and the epoch store in PostgreSQL. Hangfire keeps its
/// storage in a process-wide static, so this runs in a non-parallel collection.
/// </summary>
[Collection(SchedulerCollection.Name)]
public sealed class SchedulerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Recurring_job_closes_ended_epochs_with_hangfire_and_epochs_in_postgres()
    {
        string database = "rewards_sched_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        Dictionary<string, string?> settings = RewardsHost.Defaults(genesis: DateTimeOffset.UtcNow.AddSeconds(-1));
        settings["Rewards:EpochLength"] = "00:00:02";
        settings["Rewards:RunScheduler"] = "true";
        settings["ConnectionStrings:Rewards"] = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ConnectionString;
        using var host = new RewardsHost(settings);
        HttpClient http = host.CreateClient();
        await host.Get<ILedgerClient>().FundRewardPoolAsync(100_000_000);
        var closed = new TaskCompletionSource<EpochClosedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Get<InProcessEpochEventPublisher>().Published += e =>
        {
            if (e.ProviderCount > 0)
            {
                closed.TrySetResult(e);
            }
        };
        Address provider = EthECKey.GenerateKey().Address;
        host.Get<EpochActivityRecorder>().RecordUptime(provider, 2, 5);

        EpochClosedEvent first = await closed.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var rewards = await http.GetFromJsonAsync<ProviderRewardsDto>($"/api/rewards/providers/{provider}");
        Assert.Equal(1_000_000, first.Distributed);
        Assert.Equal(1_000_000, rewards!.Total);
        Assert.Equal(1_000_000, (await host.Get<ILedgerClient>().GetAccountAsync(provider.ToLowerHex())).Balance);
        await using var check = new NpgsqlConnection(settings["ConnectionStrings:Rewards"]);
        await check.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM rewards_hangfire.job", check);
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0);
    }
}
