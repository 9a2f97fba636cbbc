using Depin.Marketplace.Infrastructure;

namespace Depin.Marketplace.Customers;

/// <summary>A customer's persisted state (its jobs are the ledger's index of its submissions).</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerState(
    [property: Id(0)] bool Registered = false,
    [property: Id(1)] string Name = "",
    [property: Id(2)] string LedgerAddress = "",
    [property: Id(3)] DateTimeOffset RegisteredAt = default,
    [property: Id(4)] string? Wallet = null);

/// <summary>A registered customer, its ledger address and the wallet it proved for withdrawals. Key: customer id.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<CustomerState> Register(string name);

    Task<CustomerState> Get();

    /// <summary>Binds the wallet that withdrawals are paid to (proven by the caller); a later proof replaces it.</summary>
    Task<CustomerState> BindWallet(string address);
}

/// <inheritdoc cref="ICustomerGrain"/>
public sealed class CustomerGrain(
    [PersistentState("customer", MarketplaceExtensions.StorageName)] IPersistentState<CustomerState> state,
    TimeProvider time)
    : Grain, ICustomerGrain
{
    public async Task<CustomerState> Register(string name)
    {
        if (!state.State.Registered)
        {
            var id = this.GetPrimaryKeyString();
            state.State = new CustomerState(true, name, LedgerIds.CustomerAddress(id), time.GetUtcNow());
            await state.WriteStateAsync();
        }

        return state.State;
    }

    public Task<CustomerState> Get() => Task.FromResult(state.State);

    public async Task<CustomerState> BindWallet(string address)
    {
        state.State = state.State with { Wallet = address };
        await state.WriteStateAsync();
        return state.State;
    }
}
