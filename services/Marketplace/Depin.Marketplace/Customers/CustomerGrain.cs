using Depin.Marketplace.Infrastructure;

namespace Depin.Marketplace.Customers;

/// <summary>A customer's persisted state (its jobs are the ledger's index of its submissions).</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerState(
    [property: Id(0)] bool Registered = false,
    [property: Id(1)] string Name = "",
    [property: Id(2)] string LedgerAddress = "",
    [property: Id(3)] DateTimeOffset RegisteredAt = default);

/// <summary>A registered customer and its ledger address. Key: customer id.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task<CustomerState> Register(string name);

    Task<CustomerState> Get();
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
}
