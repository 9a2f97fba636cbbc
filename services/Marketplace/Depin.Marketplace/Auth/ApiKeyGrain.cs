namespace Depin.Marketplace.Auth;

/// <summary>Who an API key belongs to.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyOwner([property: Id(0)] string Role, [property: Id(1)] string PrincipalId);

/// <summary>One API key, keyed by the hex SHA-256 of the key (the key itself is never stored).</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds the key to an owner; false when it is already bound to another.</summary>
    Task<bool> Assign(ApiKeyOwner owner);

    Task<ApiKeyOwner?> Get();
}

/// <inheritdoc cref="IApiKeyGrain"/>
public sealed class ApiKeyGrain([PersistentState("apikey", MarketplaceExtensions.StorageName)] IPersistentState<ApiKeyState> state)
    : Grain, IApiKeyGrain
{
    public async Task<bool> Assign(ApiKeyOwner owner)
    {
        if (state.State.Owner is { } existing)
        {
            return existing == owner;
        }

        state.State = new ApiKeyState(owner);
        await state.WriteStateAsync();
        return true;
    }

    public Task<ApiKeyOwner?> Get() => Task.FromResult(state.State.Owner);
}

/// <summary>Persisted owner of an API key.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyState([property: Id(0)] ApiKeyOwner? Owner = null);
