using System.Security.Claims;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Depin.Marketplace.Auth;
using Depin.Marketplace.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Depin.Marketplace.Customers;

/// <summary>Customer registration, profile and funding; admin deposits.</summary>
public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/customers").WithTags("Customers");
        group.MapPost("/", RegisterAsync).AllowAnonymous().WithName("RegisterCustomer").WithSummary("Registers a customer; returns its API key once.");
        group.MapGet("/me", GetAsync).RequireAuthorization(ApiKeys.CustomerRole).WithName("GetCustomer").WithSummary("The caller's profile and ledger balance.");
        group.MapPost("/me/fund", FundAsync).RequireAuthorization(ApiKeys.CustomerRole).WithName("FundCustomer")
            .WithSummary("Dev faucet: credits the caller's ledger account through the deposit program.");

        group.MapPost("/me/wallet", BindWalletAsync).RequireAuthorization(ApiKeys.CustomerRole).WithName("BindCustomerWallet")
            .WithSummary("Binds the wallet your withdrawals are paid to, proven by an EIP-191 signature of the challenge from POST /api/wallets/challenges.");

        var admin = endpoints.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(ApiKeys.AdminRole);
        admin.MapPost("/deposits", AdminDepositAsync).WithName("AdminDeposit").WithSummary("Credits a customer's ledger account.");
        return group;
    }

    public static async Task<Results<Created<CustomerRegistration>, ValidationProblem>> RegisterAsync(RegisterCustomerRequest request, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            return Problems.Invalid("name", "must be 1..100 characters");
        }

        var customerId = "cus_" + Guid.NewGuid().ToString("N");
        var state = await grains.GetGrain<ICustomerGrain>(customerId).Register(request.Name.Trim());
        ServiceDefaults.Testing.FaultPoints.Reached(ServiceDefaults.Testing.FaultPoints.Registration);
        var key = ApiKeys.NewKey("dpc");
        await grains.GetGrain<IApiKeyGrain>(ApiKeys.Hash(key)).Assign(new ApiKeyOwner(ApiKeys.CustomerRole, customerId));
        return TypedResults.Created("/api/customers/me", new CustomerRegistration(customerId, key, state.LedgerAddress));
    }

    public static async Task<Ok<CustomerView>> GetAsync(ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, ILedgerJobs jobs, CancellationToken cancellationToken)
    {
        var id = user.PrincipalId();
        var state = await grains.GetGrain<ICustomerGrain>(id).Get();
        var account = await ledger.GetAccountAsync(state.LedgerAddress, cancellationToken);
        var submitted = await jobs.GetJobsAsync(state.LedgerAddress, provider: false, 1, null, cancellationToken);
        return TypedResults.Ok(new CustomerView(id, state.Name, state.LedgerAddress, account.Balance, submitted.Total, state.Wallet));
    }

    public static async Task<Results<Ok<CustomerView>, ValidationProblem>> BindWalletAsync(
        BindWalletRequest request, ClaimsPrincipal user, IGrainFactory grains, Providers.ProviderRegistrar wallets, ILedgerClient ledger, ILedgerJobs jobs, CancellationToken cancellationToken)
    {
        if (!LedgerIds.IsAddress(request.Address))
        {
            return Problems.Invalid("address", "must be 0x followed by 40 hex digits");
        }

        if (await wallets.ProveWalletAsync(request.Address!, request.Signature, cancellationToken) is { } failure)
        {
            return Problems.Invalid("signature", failure);
        }

        await grains.GetGrain<ICustomerGrain>(user.PrincipalId()).BindWallet(request.Address!.ToLowerInvariant());
        return await GetAsync(user, grains, ledger, jobs, cancellationToken);
    }

    public static async Task<Results<Ok<BalanceView>, ValidationProblem, ProblemHttpResult>> FundAsync(
        FundRequest request, ClaimsPrincipal user, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, CancellationToken cancellationToken)
    {
        if (!options.Value.EnableFaucet)
        {
            return Problems.Forbidden("The faucet exists only in Development and --demo (and not with Marketplace:EnableFaucet=false); ask an admin for a deposit.");
        }

        if (request.Amount <= 0 || request.Amount > options.Value.MaxDeposit)
        {
            return Problems.Invalid("amount", $"must be between 1 and {options.Value.MaxDeposit} micro-credits");
        }

        var state = await grains.GetGrain<ICustomerGrain>(user.PrincipalId()).Get();
        return await DepositAsync(ledger, state.LedgerAddress, request.Amount, cancellationToken);
    }

    public static async Task<Results<Ok<BalanceView>, ValidationProblem, ProblemHttpResult>> AdminDepositAsync(
        AdminDepositRequest request, IGrainFactory grains, ILedgerClient ledger, IOptions<MarketplaceOptions> options, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0 || request.Amount > options.Value.MaxDeposit)
        {
            return Problems.Invalid("amount", $"must be between 1 and {options.Value.MaxDeposit} micro-credits");
        }

        if (string.IsNullOrWhiteSpace(request.CustomerId))
        {
            return Problems.Invalid("customerId", "is required");
        }

        var state = await grains.GetGrain<ICustomerGrain>(request.CustomerId).Get();
        if (!state.Registered)
        {
            return Problems.NotFound("Customer");
        }

        return await DepositAsync(ledger, state.LedgerAddress, request.Amount, cancellationToken);
    }

    private static async Task<Results<Ok<BalanceView>, ValidationProblem, ProblemHttpResult>> DepositAsync(
        ILedgerClient ledger, string address, long amount, CancellationToken cancellationToken)
    {
        var tx = new LedgerTransactionDto(Guid.NewGuid().ToString("D"), "deposit", To: address, Amount: amount);
        var receipt = (await ledger.SubmitAsync([tx], cancellationToken))[0];
        if (!receipt.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Deposit failed", detail: receipt.Status);
        }

        var account = await ledger.GetAccountAsync(address, cancellationToken);
        return TypedResults.Ok(new BalanceView(address, account.Balance));
    }
}
