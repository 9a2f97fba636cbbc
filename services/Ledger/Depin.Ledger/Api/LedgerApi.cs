using System.Text.Json;
using Depin.Contracts.Ledger;
using Depin.Ledger.Accounts;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Depin.Ledger.Api;

/// <summary>REST endpoints under /api/ledger.</summary>
public static class LedgerApi
{
    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ledger").WithTags("Ledger");
        group.MapPost("/transactions", SubmitAsync).WithName("SubmitTransactions")
            .WithSummary("Submit a batch of transactions; answers with durable receipts once committed.")
            .Accepts<SubmitTransactionsRequest>("application/json");
        group.MapGet("/transactions/{id}", GetReceipt).WithName("GetReceipt").WithSummary("A transaction's receipt.");
        group.MapGet("/accounts/{address}", GetAccount).WithName("GetAccount").WithSummary("An account at the latest height.");
        group.MapGet("/accounts/{address}/proof", GetProof).WithName("GetAccountProof").WithSummary("A Merkle inclusion proof of an account against the latest state root.");
        group.MapGet("/jobs/open", GetOpenJobs).WithName("GetOpenLedgerJobs").WithSummary("Ids of jobs whose record is not final, of one kernel kind with ?kind= (service credentials and admins).");
        group.MapGet("/jobs/finished", GetFinishedJobs).WithName("GetFinishedLedgerJobs").WithSummary("Jobs that finished within [from, to) by block time, in the order they finished, paged with ?offset= (service credentials and admins).");
        group.MapGet("/jobs", GetJobs).WithName("GetLedgerJobs").WithSummary("The job records of a customer (?customer=) or a provider (?provider=), newest first, paged with ?before= (to that account's owner, services and admins).");
        group.MapGet("/jobs/{job}/history", GetJobHistory).WithName("GetLedgerJobHistory").WithSummary("Every transaction of a job with its receipt (failures name their reason), and its record.");
        group.MapGet("/jobs/{job}", GetJob).WithName("GetLedgerJob").WithSummary("A job record at the latest height (to its customer, its provider or an admin).");
        group.MapGet("/jobs/{job}/proof", GetJobProof).WithName("GetLedgerJobProof").WithSummary("A Merkle inclusion proof of a job record against the latest state root.");
        group.MapGet("/supply", GetSupply).WithName("GetLedgerSupply").WithSummary("Every credit on the ledger and the bridge account's part, at the latest height (service credentials and admins).");
        group.MapGet("/blocks/latest", GetLatestBlock).WithName("GetLatestBlock").WithSummary("The latest committed block.");
        group.MapGet("/blocks/{height}", GetBlock).WithName("GetBlock").WithSummary("A committed block with its receipts.");
        return app;
    }

    private static async Task<Results<Ok<SubmitTransactionsResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext context, LedgerNode node, LedgerAccess access, CancellationToken cancellationToken)
    {
        if (!access.TryGetCredential(context, out var caller, out var allowed))
        {
            return TypedResults.Problem("Ledger writes come only from the platform's services: send a ledger service credential in X-Api-Key.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        SubmitTransactionsRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, LedgerJsonContext.Default.SubmitTransactionsRequest, cancellationToken);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "body" : ex.Path.TrimStart('$', '.');
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [InvalidJsonReason(ex)] }, title: "The request body is not valid JSON for a transaction batch.");
        }

        var transactions = TransactionMapping.TryMapBatch(request?.Transactions, node.Options.MaxBatchSize, out var errors);
        if (transactions is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The batch was rejected; none of it was applied.");
        }

        if (allowed is not null)
        {
            for (var i = 0; i < transactions.Length; i++)
            {
                if (!allowed.Contains(transactions[i].Program))
                {
                    return TypedResults.Problem(
                        $"transactions[{i}].program: the credential \"{caller}\" may not submit {transactions[i].Program.Name()}; none of the batch was applied.",
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Forbidden");
                }
            }
        }

        try
        {
            // Read before submitting: whatever this request commits lands above it, so a receipt at or below it is repeated.
            var committed = node.Height;
            var receipts = await node.SubmitAsync(transactions, cancellationToken);
            var dtos = new ReceiptDto[receipts.Length];
            for (var i = 0; i < receipts.Length; i++)
            {
                dtos[i] = receipts[i].ToDto(committed);
            }

            return TypedResults.Ok(new SubmitTransactionsResponse(dtos));
        }
        catch (LedgerBusyException ex)
        {
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many pending transactions");
        }
    }

    private static string InvalidJsonReason(JsonException ex) =>
        ex.InnerException is FormatException or OverflowException || ex.Message.Contains("Int64", StringComparison.Ordinal)
            ? "must be an integer within the 64-bit range (micro-credits)"
            : "malformed JSON or a value of the wrong type";

    private static Results<Ok<ReceiptDto>, NotFound<ProblemDetailsLite>, ValidationProblem> GetReceipt(string id, LedgerNode node)
    {
        if (!TxId.TryParse(id, out var txId))
        {
            return Invalid("id", "must be a UUID");
        }

        var receipt = node.GetReceipt(txId);
        return receipt is null ? NotFound($"No committed transaction has id {id}.") : TypedResults.Ok(receipt.Value.ToDto());
    }

    private static async Task<Results<Ok<AccountDto>, ValidationProblem, ProblemHttpResult>> GetAccount(
        string address, HttpContext context, LedgerNode node, LedgerAccess access, CancellationToken cancellationToken)
    {
        if (!AccountId.TryParse(address, out var id))
        {
            return Invalid("address", "must be 0x followed by 40 hex digits");
        }

        if (!await access.CanReadAsync(context, address, cancellationToken))
        {
            return NotYours(context, $"Account {address}");
        }

        var (state, height) = node.GetAccount(id);
        return TypedResults.Ok(state.ToDto(id, height));
    }

    private static async Task<Results<Ok<AccountProofDto>, NotFound<ProblemDetailsLite>, ValidationProblem, ProblemHttpResult>> GetProof(
        string address, HttpContext context, LedgerNode node, LedgerAccess access, CancellationToken cancellationToken)
    {
        if (!AccountId.TryParse(address, out var id))
        {
            return Invalid("address", "must be 0x followed by 40 hex digits");
        }

        if (!await access.CanReadAsync(context, address, cancellationToken))
        {
            return NotYours(context, $"Account {address}");
        }

        var proof = node.GetProof(id);
        return proof is null ? NotFound($"Account {address} holds nothing at height {node.Height}; there is nothing to prove.") : TypedResults.Ok(proof.ToDto());
    }

    private static Results<Ok<BlockDto>, NotFound<ProblemDetailsLite>, ValidationProblem> GetBlock(string height, LedgerNode node)
    {
        if (!long.TryParse(height, out var value) || value < 1)
        {
            return Invalid("height", "must be a positive integer");
        }

        var block = node.GetBlock(value);
        return block is null
            ? NotFound(value < node.FirstHeight
                ? $"Block {value} is archived (older than the retention window); the node serves blocks {node.FirstHeight} to {node.Height}, and older ones are provable through the roots anchored on Ethereum."
                : $"No block at height {value}; the latest is {node.Height}.") : TypedResults.Ok(block.ToDto(node.ReadBlock(block)));
    }

    private static Results<Ok<LedgerSupplyDto>, ProblemHttpResult> GetSupply(HttpContext context, LedgerNode node, LedgerAccess access)
    {
        if (!access.IsServiceOrAdmin(context))
        {
            return NotYours(context, "The ledger's supply");
        }

        var (total, bridge, height) = node.GetSupply();
        return TypedResults.Ok(new LedgerSupplyDto(height, total.ToString(System.Globalization.CultureInfo.InvariantCulture), bridge));
    }

    private static Results<Ok<BlockDto>, NotFound<ProblemDetailsLite>> GetLatestBlock(LedgerNode node)
    {
        var block = node.GetBlock(node.Height);
        return block is null ? NotFound("No block has been committed yet.") : TypedResults.Ok(block.ToDto(node.ReadBlock(block)));
    }

    private static Results<Ok<OpenJobsDto>, ValidationProblem, ProblemHttpResult> GetOpenJobs(HttpContext context, LedgerNode node, LedgerAccess access, int? limit, int? kind)
    {
        if (!access.IsServiceOrAdmin(context))
        {
            return NotYours(context, "The open-jobs index");
        }

        if (limit is < 1 or > 100_000)
        {
            return Invalid("limit", "must be within 1..100000");
        }

        if (kind is < 0 or > 255)
        {
            return Invalid("kind", "must be a kernel kind number within 0..255");
        }

        var height = node.Height;
        return TypedResults.Ok(new OpenJobsDto(node.OpenJobs(limit ?? 10_000, kind).Select(id => id.Value.ToString("D")).ToArray(), height));
    }

    private static Results<Ok<FinishedJobsDto>, ValidationProblem, ProblemHttpResult> GetFinishedJobs(
        HttpContext context, LedgerNode node, LedgerAccess access, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit)
    {
        if (!access.IsServiceOrAdmin(context))
        {
            return NotYours(context, "The finished-jobs index");
        }

        if (from is null)
        {
            return Invalid("from", "is required: the window's start (ISO 8601)");
        }

        if (to is null || to <= from)
        {
            return Invalid("to", "is required and must be after from (ISO 8601; the window excludes it)");
        }

        if (offset is < 0)
        {
            return Invalid("offset", "must be the next value of a previous page");
        }

        if (limit is < 1 or > 10_000)
        {
            return Invalid("limit", "must be within 1..10000");
        }

        return TypedResults.Ok(node.FinishedJobs(from.Value.ToUnixTimeMilliseconds(), to.Value.ToUnixTimeMilliseconds(), offset ?? 0, limit ?? 1_000).ToDto());
    }

    private static async Task<Results<Ok<JobRecordDto>, NotFound<ProblemDetailsLite>, ValidationProblem, ProblemHttpResult>> GetJob(
        string job, HttpContext context, LedgerNode node, LedgerAccess access, CancellationToken cancellationToken)
    {
        if (!TxId.TryParse(job, out var id))
        {
            return Invalid("job", "must be the job's UUID");
        }

        var (record, height) = node.GetJob(id);
        if (record.IsEmpty)
        {
            return NotFound($"No job record has id {job}.");
        }

        return await access.CanReadJobAsync(context, record, cancellationToken) ? TypedResults.Ok(record.ToDto(id, height)) : NotYours(context, $"The record of job {job}");
    }

    private static async Task<Results<Ok<JobProofDto>, NotFound<ProblemDetailsLite>, ValidationProblem, ProblemHttpResult>> GetJobProof(
        string job, HttpContext context, LedgerNode node, LedgerAccess access, CancellationToken cancellationToken)
    {
        if (!TxId.TryParse(job, out var id))
        {
            return Invalid("job", "must be the job's UUID");
        }

        var proof = node.GetJobProof(id);
        if (proof is null)
        {
            return NotFound($"No job record has id {job}.");
        }

        return await access.CanReadJobAsync(context, proof.Record, cancellationToken) ? TypedResults.Ok(proof.ToDto()) : NotYours(context, $"The record of job {job}");
    }

    private static async Task<Results<Ok<JobPageDto>, ValidationProblem, ProblemHttpResult>> GetJobs(
        HttpContext context, LedgerNode node, LedgerAccess access, string? customer, string? provider, int? limit, int? before, CancellationToken cancellationToken)
    {
        if ((customer is null) == (provider is null))
        {
            return Invalid(customer is null ? "customer" : "provider", "give exactly one of customer and provider (an account address)");
        }

        var field = customer is null ? "provider" : "customer";
        var address = customer ?? provider!;
        if (!AccountId.TryParse(address, out var id))
        {
            return Invalid(field, "must be 0x followed by 40 hex digits");
        }

        if (limit is < 1 or > 1_000)
        {
            return Invalid("limit", "must be within 1..1000");
        }

        if (before is < 0)
        {
            return Invalid("before", "must be the next value of a previous page");
        }

        if (!await access.CanReadAsync(context, address, cancellationToken))
        {
            return NotYours(context, $"The jobs of {address}");
        }

        return TypedResults.Ok(node.JobsOf(id, provider is not null, limit ?? 50, before).ToDto());
    }

    private static async Task<Results<Ok<JobHistoryDto>, NotFound<ProblemDetailsLite>, ValidationProblem, ProblemHttpResult>> GetJobHistory(
        string job, HttpContext context, LedgerNode node, LedgerAccess access, CancellationToken cancellationToken)
    {
        if (!TxId.TryParse(job, out var id))
        {
            return Invalid("job", "must be the job's UUID");
        }

        var history = node.GetJobHistory(id);
        if (history.Record.IsEmpty && history.Events.Length == 0)
        {
            return NotFound($"The ledger has no transaction of job {job}.");
        }

        // With no record (every submission failed), the history belongs to the account that tried to submit it.
        var allowed = history.Record.IsEmpty
            ? await access.CanReadAsync(context, history.Events[0].Transaction.From.ToString(), cancellationToken)
            : await access.CanReadJobAsync(context, history.Record, cancellationToken);
        return allowed ? TypedResults.Ok(history.ToDto(id)!) : NotYours(context, $"The history of job {job}");
    }

    private static ProblemHttpResult NotYours(HttpContext context, string what) =>
        context.User.Identity?.IsAuthenticated == true || context.Request.Headers.ContainsKey("X-Api-Key")
            ? TypedResults.Problem($"{what} is served to its owner and to admins only.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
            : TypedResults.Problem($"{what} is served to its owner's API key (or the admin key) in X-Api-Key.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    private static ValidationProblem Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] });

    private static NotFound<ProblemDetailsLite> NotFound(string detail) =>
        TypedResults.NotFound(new ProblemDetailsLite("Not found", 404, detail));
}

/// <summary>An RFC 7807 body for 404s returned through typed results.</summary>
public sealed record ProblemDetailsLite(string Title, int Status, string Detail)
{
    public string Type => "https://tools.ietf.org/html/rfc9110#section-15.5.5";
}
