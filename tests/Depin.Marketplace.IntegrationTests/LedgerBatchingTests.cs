using Depin.Contracts.Ledger;
using Depin.Marketplace.Settlement;
using Depin.Testing;
using Refit;

namespace Depin.Marketplace.IntegrationTests;

/// <summary>The marketplace's ledger client combining concurrent submissions, against the real ledger process.</summary>
public sealed class LedgerBatchingTests
{
    private const string ServiceKey = "ledger-batching-key";

    [Fact]
    public async Task Concurrent_submissions_each_get_their_own_receipts_and_a_refused_one_does_not_refuse_the_others()
    {
        using var data = new TempDirectory();
        await using var ledger = await ChildHost.StartAsync("depin-ledger.dll", new Dictionary<string, string>
        {
            ["Ledger__DataDirectory"] = data.Path,
            ["Ledger__GatewayApiKey"] = ServiceKey,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        ledger.Http.DefaultRequestHeaders.Add("X-Api-Key", ServiceKey);
        var counting = new CountingHandler { InnerHandler = new HttpClientHandler() };
        var http = new HttpClient(counting) { BaseAddress = ledger.Http.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", ServiceKey);
        var client = new HttpLedgerClient(RestService.For<ILedgerApi>(http));

        var accounts = Enumerable.Range(1, 200).Select(i => $"0x01{i:x38}").ToArray();
        var deposits = accounts.Select((account, i) => new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: account, Amount: 1_000 + i)).ToArray();
        var invalid = new LedgerTransactionDto(Guid.NewGuid().ToString(), "deposit", To: "0x1234", Amount: 5);
        var calls = deposits.Select(d => (Task)client.SubmitAsync([d])).Append(client.SubmitAsync([invalid])).ToArray();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (ApiException)
        {
        }

        var refused = Assert.IsType<ValidationApiException>(calls[^1].Exception!.InnerException);
        Assert.Contains("transactions[0].to", refused.Content!.Errors.Keys);
        for (var i = 0; i < deposits.Length; i++)
        {
            var receipt = Assert.Single(await (Task<IReadOnlyList<ReceiptDto>>)calls[i]);
            Assert.Equal(Guid.Parse(deposits[i].Id), Guid.Parse(receipt.Id));
            Assert.True(receipt.Succeeded);
            Assert.Equal(1_000 + i, (await client.GetAccountAsync(accounts[i])).Balance);
        }

        // Fewer requests than submissions: what arrived while requests were in flight went together.
        Assert.True(counting.Posts < deposits.Length, $"{counting.Posts} requests for {deposits.Length} submissions");
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                Interlocked.Increment(ref _posts);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
