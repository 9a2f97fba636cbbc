using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Depin.Contracts.Marketplace;

namespace Depin.Marketplace.IntegrationTests;

[Collection(MarketplaceCollection.Name)]
public sealed class ValidationTests(MarketplaceFixture fx)
{
    public static TheoryData<string, string, string?, int, string?> AnonymousCases => new()
    {
        { "POST", "/api/customers", "{}", 400, "name" },
        { "POST", "/api/customers", "{\"name\": 12}", 400, null },
        { "POST", "/api/customers", "not json", 400, null },
        { "POST", "/api/customers", null, 400, null },
        { "POST", "/api/providers", "{\"name\":\"p\",\"payoutAddress\":\"0x12\"}", 400, "payoutAddress" },
        { "POST", "/api/providers", "{\"name\":\"\",\"payoutAddress\":\"0x0000000000000000000000000000000000000abc\"}", 400, "name" },
        { "GET", "/api/jobs", null, 401, null },
        { "GET", "/api/customers/me", null, 401, null },
        { "GET", "/api/providers/me", null, 401, null },
        { "POST", "/api/workers", "{}", 401, null },
        { "POST", "/api/admin/deposits", "{}", 401, null },
    };

    [Theory]
    [MemberData(nameof(AnonymousCases))]
    public async Task Bad_anonymous_requests_get_problem_details(string method, string path, string? body, int status, string? field)
    {
        using var http = fx.Http();
        await AssertProblemAsync(http, method, path, body, status, field);
    }

    [Fact]
    public async Task Unknown_api_key_is_401_problem()
    {
        using var http = fx.Http("dpc_not-a-key");
        await AssertProblemAsync(http, "GET", "/api/jobs", null, 401, null);
    }

    [Fact]
    public async Task Bad_job_submissions_name_the_field()
    {
        var (_, reg) = await fx.NewCustomerAsync(1_000);
        using var http = fx.Http(reg.ApiKey);

        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"nope","parameters":{},"maxPricePerMegaUnit":1}""", 400, "kind");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":{"m":0,"n":4,"k":4},"maxPricePerMegaUnit":1}""", 400, "parameters.m");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":{"m":4,"n":4,"k":4,"bogus":1},"maxPricePerMegaUnit":1}""", 400, "parameters.bogus");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":[1,2],"maxPricePerMegaUnit":1}""", 400, "parameters");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":{"m":4,"n":4,"k":4},"maxPricePerMegaUnit":0}""", 400, "maxPricePerMegaUnit");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":{"m":4,"n":4,"k":4},"maxPricePerMegaUnit":1,"deadline":"2000-01-01T00:00:00Z"}""", 400, "deadline");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":{"m":4,"n":4,"k":4},"maxPricePerMegaUnit":1,"inputBase64":"***"}""", 400, "inputBase64");
        await AssertProblemAsync(http, "POST", "/api/jobs", """{"kind":"matmul","parameters":{"m":4,"n":4,"k":4},"maxPricePerMegaUnit":"a lot"}""", 400, null);
        await AssertProblemAsync(http, "POST", "/api/jobs", "[]", 400, null);
        await AssertProblemAsync(http, "GET", "/api/jobs/not-a-guid", null, 404, null);
        await AssertProblemAsync(http, "GET", "/api/jobs/" + Guid.NewGuid(), null, 404, null);
        await AssertProblemAsync(http, "POST", "/api/jobs/" + Guid.NewGuid() + "/cancel", null, 404, null);
        await AssertProblemAsync(http, "POST", "/api/customers/me/fund", """{"amount":5}""", 403, null);
        await AssertProblemAsync(http, "POST", "/api/workers", """{"name":"w","devices":[],"askPricePerMegaUnit":1}""", 403, null);
        await AssertProblemAsync(http, "POST", "/api/admin/deposits", """{"customerId":"x","amount":1}""", 403, null);
    }

    [Fact]
    public async Task Bad_worker_requests_name_the_field()
    {
        var (provider, reg) = await fx.NewProviderAsync();
        var worker = await provider.RegisterWorkerAsync(new RegisterWorkerRequest("w", [new DeviceInfo("cpu", 1L << 30, 4, 1)], 1_000, ["matmul"]));
        using var http = fx.Http(reg.ApiKey);
        var w = "/api/workers/" + worker.WorkerId;

        await AssertProblemAsync(http, "POST", "/api/workers", """{"name":"w","devices":[],"askPricePerMegaUnit":1}""", 400, "devices");
        await AssertProblemAsync(http, "POST", "/api/workers", """{"name":"w","devices":[{"name":"gpu","memoryBytes":0,"computeUnits":1,"benchmarkScore":1}],"askPricePerMegaUnit":1}""", 400, "devices[0].memoryBytes");
        await AssertProblemAsync(http, "POST", "/api/workers", """{"name":"w","devices":[{"name":"gpu","memoryBytes":1,"computeUnits":1,"benchmarkScore":1}],"askPricePerMegaUnit":-1}""", 400, "askPricePerMegaUnit");
        await AssertProblemAsync(http, "POST", "/api/workers", """{"name":"w","devices":[{"name":"gpu","memoryBytes":1,"computeUnits":1,"benchmarkScore":1}],"askPricePerMegaUnit":1,"kinds":["nope"]}""", 400, "kinds");
        await AssertProblemAsync(http, "POST", w + "/lease", """{"deviceIndex":3,"waitSeconds":0}""", 400, "deviceIndex");
        await AssertProblemAsync(http, "POST", w + "/lease", """{"deviceIndex":0,"waitSeconds":999}""", 400, "waitSeconds");
        await AssertProblemAsync(http, "POST", w + "/heartbeat", """{"leases":[{"jobId":"x","fencingToken":1}]}""", 400, "leases");
        await AssertProblemAsync(http, "POST", w + "/jobs/" + Guid.NewGuid() + "/result", """{"fencingToken":1,"resultBase64":"%%%","digest":"00"}""", 400, "resultBase64");
        await AssertProblemAsync(http, "POST", w + "/jobs/" + Guid.NewGuid() + "/result", """{"fencingToken":1,"resultBase64":"AAAA","digest":"00"}""", 400, "digest");
        await AssertProblemAsync(http, "POST", w + "/jobs/" + Guid.NewGuid() + "/result", """{"fencingToken":1,"resultBase64":"AAAA","digest":"709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c"}""", 404, null);
        await AssertProblemAsync(http, "POST", w + "/jobs/" + Guid.NewGuid() + "/release", """{"fencingToken":1}""", 409, null);
        await AssertProblemAsync(http, "GET", "/api/workers/wrk_unknown", null, 404, null);
        await AssertProblemAsync(http, "POST", "/api/workers/wrk_unknown/lease", """{"deviceIndex":0,"waitSeconds":0}""", 404, null);
        await AssertProblemAsync(http, "GET", "/api/jobs", null, 403, null);
    }

    [Fact]
    public async Task Admin_deposit_credits_a_customer_and_checks_its_input()
    {
        var (customer, reg) = await fx.NewCustomerAsync(0);
        using var http = fx.Http(MarketplaceFixture.AdminKey);

        await AssertProblemAsync(http, "POST", "/api/admin/deposits", $$"""{"customerId":"{{reg.CustomerId}}","amount":0}""", 400, "amount");
        await AssertProblemAsync(http, "POST", "/api/admin/deposits", """{"customerId":"cus_nobody","amount":5}""", 404, null);
        var response = await http.PostAsJsonAsync("/api/admin/deposits", new AdminDepositRequest(reg.CustomerId, 1_234));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1_234, (await customer.GetCustomerAsync()).Balance);
    }

    private static async Task AssertProblemAsync(HttpClient http, string method, string path, string? body, int status, string? field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(status, doc.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.True(doc.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{method} {path}: no error for '{field}' in {text}");
        }
    }
}
