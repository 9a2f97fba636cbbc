using System.Collections.Immutable;

namespace Depin.Marketplace.Providers;

/// <summary>A provider's persisted state.</summary>
[GenerateSerializer, Immutable]
public sealed record ProviderState(
    [property: Id(0)] bool Registered = false,
    [property: Id(1)] string Name = "",
    [property: Id(2)] string PayoutAddress = "",
    [property: Id(3)] DateTimeOffset RegisteredAt = default,
    [property: Id(4)] ImmutableList<string>? WorkerIds = null)
{
    public ImmutableList<string> Workers => WorkerIds ?? [];
}

/// <summary>A compute provider: payout wallet and the workers it registered. Key: provider id.</summary>
public interface IProviderGrain : IGrainWithStringKey
{
    /// <summary>Registers once; a second call returns the existing state unchanged.</summary>
    Task<ProviderState> Register(string name, string payoutAddress);

    Task<ProviderState> Get();

    Task AddWorker(string workerId);
}

/// <inheritdoc cref="IProviderGrain"/>
public sealed class ProviderGrain(
    [PersistentState("provider", MarketplaceExtensions.StorageName)] IPersistentState<ProviderState> state,
    TimeProvider time)
    : Grain, IProviderGrain
{
    public async Task<ProviderState> Register(string name, string payoutAddress)
    {
        if (!state.State.Registered)
        {
            state.State = new ProviderState(true, name, payoutAddress, time.GetUtcNow(), []);
            await state.WriteStateAsync();
        }

        return state.State;
    }

    public Task<ProviderState> Get() => Task.FromResult(state.State);

    public async Task AddWorker(string workerId)
    {
        if (!state.State.Registered || state.State.Workers.Contains(workerId))
        {
            return;
        }

        state.State = state.State with { WorkerIds = state.State.Workers.Add(workerId) };
        await state.WriteStateAsync();
    }
}
