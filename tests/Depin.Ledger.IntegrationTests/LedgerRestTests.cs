using Depin.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Depin.Contracts.Ledger;

namespace Depin.Ledger.IntegrationTests;

public sealed class LedgerRestTests : IAsyncLifetime
{
    private const string Alice = "0xa11ce00000000000000000000000000000000001";
    private const string Bob = "0xb0b0000000000000000000000000000000000002";
    private readonly TempDirectory _data = new();
    private LedgerProcess _ledger = null!;

    public async Task InitializeAsync() => _ledger = await LedgerProcess.StartAsync(_data.Path, new Dictionary<string, string> { ["Ledger__MaxBatchSize"] = "100" });

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _data.Dispose();
    }

    private static string Id() => Guid.NewGuid().ToString();

    [Fact]
    public async Task A_batch_is_committed_and_readable_as_receipts_accounts_blocks_and_proofs()
    {
        var deposit = Id();
        var response = await _ledger.SubmitAsync(
            new LedgerTransactionDto(deposit, "deposit", To: Alice, Amount: 1_000),
            new LedgerTransactionDto(Id(), "transfer", From: Alice, To: Bob, Amount: 400),
            new LedgerTransactionDto(Id(), "transfer", From: Bob, To: Alice, Amount: 401));

        Assert.Equal(["success", "success", "insufficient-funds"], response.Receipts.Select(r => r.Status));
        var height = response.Receipts[0].Height;

        var bob = await _ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{Bob}");
        Assert.Equal(400, bob!.Balance);

        var receipt = await _ledger.Http.GetFromJsonAsync<ReceiptDto>($"/api/ledger/transactions/{deposit}");
        Assert.Equal(response.Receipts[0], receipt);

        var block = await _ledger.Http.GetFromJsonAsync<BlockDto>($"/api/ledger/blocks/{height}");
        Assert.Equal(3, block!.TransactionCount);
        Assert.Equal(response.Receipts, block.Receipts);

        var proof = await _ledger.Http.GetFromJsonAsync<AccountProofDto>($"/api/ledger/accounts/{Bob}/proof");
        Assert.Equal(400, proof!.Account.Balance);
        Assert.Equal(block.StateRoot, proof.StateRoot);
    }

    [Fact]
    public async Task Resubmitting_an_id_over_rest_returns_the_original_receipt_marked_repeated()
    {
        var id = Id();
        var first = await _ledger.SubmitAsync(new LedgerTransactionDto(id, "deposit", To: Alice, Amount: 5));
        var fresh = await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "deposit", To: Alice, Amount: 5));
        var second = await _ledger.SubmitAsync(new LedgerTransactionDto(id, "deposit", To: Alice, Amount: 5));

        Assert.False(Assert.Single(first.Receipts).Repeated);
        Assert.False(Assert.Single(fresh.Receipts).Repeated);
        Assert.Equal(first.Receipts.Select(r => r with { Repeated = true }), second.Receipts);
    }

    [Theory]
    [InlineData("""{"transactions":[{"id":"not-a-uuid","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":1}]}""", "transactions[0].id")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"mint","to":"0xa11ce00000000000000000000000000000000001","amount":1}]}""", "transactions[0].program")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"job-prune","amount":0,"job":"1f8fad5b-d9cb-469f-a165-70867728950e"}]}""", "transactions[0].program")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":0}]}""", "transactions[0].amount")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":-7}]}""", "transactions[0].amount")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":9223372036854775808}]}""", "transactions[0].amount")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"deposit","to":"0xabc","amount":1}]}""", "transactions[0].to")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"transfer","from":"0x0000000000000000000000000000000000000002","to":"0xa11ce00000000000000000000000000000000001","amount":1}]}""", "transactions[0].from")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"escrow-release","from":"0xa11ce00000000000000000000000000000000001","to":"0xb0b0000000000000000000000000000000000002","amount":5,"fee":6,"job":"1f8fad5b-d9cb-469f-a165-70867728950e"}]}""", "transactions[0].fee")]
    [InlineData("""{"transactions":[]}""", "transactions")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":1},{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"deposit","to":"0xa11ce00000000000000000000000000000000001","amount":1}]}""", "transactions[1].id")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b""", "transactions[0].id")]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_applies_nothing(string body, string field)
    {
        var before = await _ledger.Http.GetFromJsonAsync<BlockDto>("/api/ledger/blocks/latest").ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        using var response = await _ledger.Http.PostAsync("/api/ledger/transactions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem.RootElement}");

        using var latest = await _ledger.Http.GetAsync("/api/ledger/blocks/latest");
        var after = latest.IsSuccessStatusCode ? await latest.Content.ReadFromJsonAsync<BlockDto>() : null;
        Assert.Equal(before?.Height, after?.Height);
    }

    [Fact]
    public async Task An_oversized_batch_is_refused()
    {
        var transactions = Enumerable.Range(0, 101).Select(_ => new LedgerTransactionDto(Id(), "deposit", To: Alice, Amount: 1)).ToArray();
        using var response = await _ledger.Http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest(transactions));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 100", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/ledger/accounts/0x12", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/transactions/nope", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/transactions/0f8fad5b-d9cb-469f-a165-000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/ledger/blocks/0", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/blocks/999999", HttpStatusCode.NotFound)]
    [InlineData("/api/ledger/accounts/0xf00d000000000000000000000000000000000003/proof", HttpStatusCode.NotFound)]
    public async Task Bad_reads_get_problem_details(string path, HttpStatusCode expected)
    {
        using var response = await _ledger.Http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"status\":" + (int)expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-credential", HttpStatusCode.Unauthorized)]
    [InlineData("dev-admin-key", HttpStatusCode.Unauthorized)]
    [InlineData(LedgerProcess.RewardsKey, HttpStatusCode.Forbidden)]
    public async Task A_write_without_a_credential_for_its_program_is_refused_and_applies_nothing(string? key, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = _ledger.Http.BaseAddress };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var minted = "0xf00d000000000000000000000000000000000009";
        using var response = await http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest([new LedgerTransactionDto(Id(), "deposit", To: minted, Amount: 999_999_999_999)]));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var account = await _ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{minted}");
        Assert.Equal(0, account!.Balance);
    }

    [Fact]
    public async Task A_limited_credential_submits_the_programs_it_is_given()
    {
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "deposit", To: "0x0000000000000000000000000000000000000002", Amount: 50));
        using var http = new HttpClient { BaseAddress = _ledger.Http.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", LedgerProcess.RewardsKey);

        using var response = await http.PostAsJsonAsync("/api/ledger/transactions", new SubmitTransactionsRequest([new LedgerTransactionDto(Id(), "reward-credit", To: Bob, Amount: 50)]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", (await response.Content.ReadFromJsonAsync<SubmitTransactionsResponse>())!.Receipts[0].Status);
    }

    [Theory]
    [InlineData("/api/ledger/accounts/0xb0b0000000000000000000000000000000000002")]
    [InlineData("/api/ledger/accounts/0xb0b0000000000000000000000000000000000002/proof")]
    public async Task Accounts_are_not_served_to_anonymous_callers_while_block_headers_are(string path)
    {
        using var http = new HttpClient { BaseAddress = _ledger.Http.BaseAddress };
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "deposit", To: Bob, Amount: 5));

        using var account = await http.GetAsync(path);
        using var latest = await http.GetAsync("/api/ledger/blocks/latest");

        Assert.Equal(HttpStatusCode.Unauthorized, account.StatusCode);
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
    }

    [Fact]
    public async Task A_job_runs_its_lifecycle_over_rest_and_its_record_and_proof_are_served_to_credentials_only()
    {
        var job = Id();
        var worker = Id();
        var until = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        var digest = new string('a', 64);
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "deposit", To: Alice, Amount: 10_000));

        var receipts = (await _ledger.SubmitAsync(
            new LedgerTransactionDto(Id(), "job-submit", From: Alice, Amount: 1_000, Job: job, Digest: digest, Until: until, WorkUnits: 64, Kind: 3, MaxAttempts: 2),
            new LedgerTransactionDto(Id(), "job-lease", To: Bob, Amount: 400, Fee: 10, Job: job, Worker: worker, Until: until),
            new LedgerTransactionDto(Id(), "job-complete", Job: job, Worker: worker, Token: 1, Digest: digest),
            new LedgerTransactionDto(Id(), "job-settle", From: Alice, To: Bob, Amount: 400, Fee: 10, Job: job),
            new LedgerTransactionDto(Id(), "job-settle", From: Alice, To: Bob, Amount: 400, Fee: 10, Job: job))).Receipts;

        Assert.Equal(["success", "success", "success", "success", "job-wrong-status"], receipts.Select(r => r.Status));
        var record = await _ledger.Http.GetFromJsonAsync<JobRecordDto>($"/api/ledger/jobs/{job}");
        Assert.Equal(("settled", 400L, 10L, 0L, Bob), (record!.Status, record.Price, record.Fee, record.Escrow, record.Provider));
        var proof = await _ledger.Http.GetFromJsonAsync<JobProofDto>($"/api/ledger/jobs/{job}/proof");
        var latest = await _ledger.Http.GetFromJsonAsync<BlockDto>("/api/ledger/blocks/latest");
        Assert.Equal(latest!.StateRoot, proof!.StateRoot);
        Assert.Equal(390, (await _ledger.Http.GetFromJsonAsync<AccountDto>($"/api/ledger/accounts/{Bob}"))!.Balance);

        using var anonymous = new HttpClient { BaseAddress = _ledger.Http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/ledger/jobs/{job}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/ledger/jobs/{job}/proof")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _ledger.Http.GetAsync($"/api/ledger/jobs/{Id()}")).StatusCode);

        var history = await _ledger.Http.GetFromJsonAsync<JobHistoryDto>($"/api/ledger/jobs/{job}/history");
        Assert.Equal(["job-submit", "job-lease", "job-complete", "job-settle", "job-settle"], history!.Events.Select(e => e.Program));
        Assert.Equal("job-wrong-status", history.Events[^1].Status);
        Assert.Equal((Bob, 400L, 10L, worker), (history.Events[1].Account, history.Events[1].Amount, history.Events[1].Fee, history.Events[1].Worker));
        Assert.Equal("settled", history.Record!.Status);
        var page = await _ledger.Http.GetFromJsonAsync<JobPageDto>($"/api/ledger/jobs?customer={Alice}&limit=1");
        Assert.Equal(job, Assert.Single(page!.Jobs).Job);
        var leased = await _ledger.Http.GetFromJsonAsync<JobPageDto>($"/api/ledger/jobs?provider={Bob}");
        Assert.Contains(leased!.Jobs, j => j.Job == job);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/ledger/jobs/{job}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/ledger/jobs?customer={Alice}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _ledger.Http.GetAsync($"/api/ledger/jobs/{Id()}/history")).StatusCode);
    }

    [Fact]
    public async Task Jobs_finished_in_a_time_window_are_listed_by_block_time_and_the_window_is_final_once_the_ledger_passed_it()
    {
        var until = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        var digest = new string('b', 64);
        var (settled, cancelled, open, worker) = (Id(), Id(), Id(), Id());
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "deposit", To: Alice, Amount: 10_000));
        var before = (await _ledger.Http.GetFromJsonAsync<BlockDto>("/api/ledger/blocks/latest"))!.Timestamp;
        await _ledger.SubmitAsync(
            new LedgerTransactionDto(Id(), "job-submit", From: Alice, Amount: 1_000, Job: settled, Digest: digest, Until: until, WorkUnits: 64, Kind: 3, MaxAttempts: 1),
            new LedgerTransactionDto(Id(), "job-submit", From: Alice, Amount: 1_000, Job: cancelled, Digest: digest, Until: until, WorkUnits: 32, Kind: 3, MaxAttempts: 1),
            new LedgerTransactionDto(Id(), "job-submit", From: Alice, Amount: 1_000, Job: open, Digest: digest, Until: until, WorkUnits: 16, Kind: 3, MaxAttempts: 1),
            new LedgerTransactionDto(Id(), "job-lease", To: Bob, Amount: 400, Fee: 10, Job: settled, Worker: worker, Until: until),
            new LedgerTransactionDto(Id(), "job-complete", Job: settled, Worker: worker, Token: 1, Digest: digest));
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "job-cancel", From: Alice, Job: cancelled));
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "job-settle", From: Alice, To: Bob, Amount: 400, Fee: 10, Job: settled));
        var latest = (await _ledger.Http.GetFromJsonAsync<BlockDto>("/api/ledger/blocks/latest"))!.Timestamp;

        var window = await FinishedAsync(before, latest.AddMilliseconds(1));
        Assert.Equal([(cancelled, "cancelled", 32L, (string?)null), (settled, "settled", 64L, Bob)], window.Jobs.Select(j => (j.Job, j.Status, j.WorkUnits, j.Provider)));
        Assert.True(window.CompleteBefore > latest, $"{window.CompleteBefore:O} after the last block {latest:O}");
        Assert.Null(window.Next);
        var paged = await FinishedAsync(before, latest.AddMilliseconds(1), "&limit=1");
        Assert.Equal((cancelled, 1), (Assert.Single(paged.Jobs).Job, paged.Next));
        Assert.Equal(settled, Assert.Single((await FinishedAsync(before, latest.AddMilliseconds(1), "&limit=1&offset=1")).Jobs).Job);
        Assert.Empty((await FinishedAsync(latest.AddMilliseconds(1), latest.AddMinutes(1))).Jobs);

        // A window that ends in the future is not final: blocks may still commit inside it.
        var future = await FinishedAsync(before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.True(future.CompleteBefore < DateTimeOffset.UtcNow.AddMinutes(5));
        // Whatever commits next is stamped no earlier than a window the ledger called final.
        await _ledger.SubmitAsync(new LedgerTransactionDto(Id(), "job-cancel", From: Alice, Job: open));
        var reopened = (await FinishedAsync(before, future.CompleteBefore)).Jobs.Select(j => j.Job);
        Assert.DoesNotContain(open, reopened);

        using var anonymous = new HttpClient { BaseAddress = _ledger.Http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/ledger/jobs/finished?from={Iso(before)}&to={Iso(latest)}")).StatusCode);
    }

    private async Task<FinishedJobsDto> FinishedAsync(DateTimeOffset from, DateTimeOffset to, string extra = "") =>
        (await _ledger.Http.GetFromJsonAsync<FinishedJobsDto>($"/api/ledger/jobs/finished?from={Iso(from)}&to={Iso(to)}{extra}"))!;

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("/api/ledger/jobs", "customer")]
    [InlineData("/api/ledger/jobs?customer=0xa11ce00000000000000000000000000000000001&provider=0xb0b0000000000000000000000000000000000002", "provider")]
    [InlineData("/api/ledger/jobs?customer=alice", "customer")]
    [InlineData("/api/ledger/jobs?provider=0xb0b0000000000000000000000000000000000002&limit=0", "limit")]
    [InlineData("/api/ledger/jobs/not-a-uuid/history", "job")]
    [InlineData("/api/ledger/jobs/open?kind=256", "kind")]
    [InlineData("/api/ledger/jobs/finished?to=2026-12-01T00:00:00Z", "from")]
    [InlineData("/api/ledger/jobs/finished?from=2026-12-01T00:00:00Z&to=2026-11-30T00:00:00Z", "to")]
    [InlineData("/api/ledger/jobs/finished?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&limit=0", "limit")]
    public async Task A_malformed_job_query_gets_a_problem_naming_the_field(string path, string field)
    {
        using var response = await _ledger.Http.GetAsync(path);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"job-submit","from":"0xa11ce00000000000000000000000000000000001","amount":5,"job":"1f8fad5b-d9cb-469f-a165-70867728950e","digest":"xyz","until":1,"workUnits":1,"kind":1,"maxAttempts":1}]}""", "transactions[0].digest")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"job-submit","from":"0xa11ce00000000000000000000000000000000001","amount":5,"job":"1f8fad5b-d9cb-469f-a165-70867728950e","digest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","until":1,"workUnits":1,"kind":1,"maxAttempts":0}]}""", "transactions[0].maxAttempts")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"job-lease","to":"0xb0b0000000000000000000000000000000000002","job":"1f8fad5b-d9cb-469f-a165-70867728950e","until":5}]}""", "transactions[0].worker")]
    [InlineData("""{"transactions":[{"id":"0f8fad5b-d9cb-469f-a165-70867728950e","program":"job-complete","job":"1f8fad5b-d9cb-469f-a165-70867728950e","worker":"2f8fad5b-d9cb-469f-a165-70867728950e","digest":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}""", "transactions[0].token")]
    public async Task A_job_program_without_its_payload_gets_a_problem_naming_the_field(string body, string field)
    {
        using var response = await _ledger.Http.PostAsync("/api/ledger/transactions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem.RootElement}");
    }
}
