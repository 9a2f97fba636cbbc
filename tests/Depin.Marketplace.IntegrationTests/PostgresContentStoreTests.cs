using System.Text;
using Depin.Marketplace.Persistence;
using Depin.ServiceDefaults.Storage;
using Depin.Testing;
using Npgsql;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>The marketplace's content store on a real PostgreSQL: puts made at once share statements and commits.</summary>
public sealed class PostgresContentStoreTests
{
    [Fact]
    public async Task Concurrent_puts_with_duplicates_are_stored_once_and_every_replica_reads_them()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var first = NpgsqlDataSource.Create(postgres.ConnectionString);
        await using var second = NpgsqlDataSource.Create(postgres.ConnectionString);
        var store = new PostgresContentStore(first);
        var blobs = Enumerable.Range(0, 1_000).Select(i => Encoding.UTF8.GetBytes($"blob {i % 700} " + new string('x', i % 700 % 300))).ToArray();

        var hashes = await Task.WhenAll(blobs.Select(b => Task.Run(() => store.PutAsync(b))));

        Assert.Equal(blobs.Select(b => ContentStore.HashOf(b)), hashes);
        await using (var count = first.CreateCommand("SELECT count(*) FROM marketplace_content"))
        {
            Assert.Equal(700L, (long)(await count.ExecuteScalarAsync())!);
        }

        var replica = new PostgresContentStore(second);
        for (var i = 0; i < blobs.Length; i++)
        {
            Assert.Equal(blobs[i], await replica.GetAsync(hashes[i]));
        }

        Assert.Null(await replica.GetAsync(ContentStore.HashOf([1, 2, 3])));
    }

    [Fact]
    public async Task A_failed_statement_fails_every_put_it_carried_and_later_puts_still_commit()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var database = NpgsqlDataSource.Create(postgres.ConnectionString);
        var store = new PostgresContentStore(database);
        Assert.NotNull(await store.GetAsync(await store.PutAsync("created"u8.ToArray())));
        await using (var block = database.CreateCommand("ALTER TABLE marketplace_content ADD CONSTRAINT small CHECK (length(bytes) < 4) NOT VALID"))
        {
            await block.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<PostgresException>(() => store.PutAsync("too long"u8.ToArray()));

        await using (var unblock = database.CreateCommand("ALTER TABLE marketplace_content DROP CONSTRAINT small"))
        {
            await unblock.ExecuteNonQueryAsync();
        }

        var hash = await store.PutAsync("too long"u8.ToArray());
        Assert.Equal("too long"u8.ToArray(), await store.GetAsync(hash));
    }
}
