using System.Collections.Concurrent;

namespace Depin.Marketplace.Auth;

/// <summary>
/// Owners of API keys already looked up, by key hash, so that a request does not make a grain call to authenticate. A
/// key's owner never changes once assigned (<see cref="IApiKeyGrain.Assign"/> happens once), so an entry never goes stale;
/// unknown keys are not remembered. Bounded: cleared when it reaches <see cref="Capacity"/> entries.
/// </summary>
public sealed class ApiKeyCache
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, ApiKeyOwner> _owners = new(StringComparer.Ordinal);

    public bool TryGet(string keyHash, out ApiKeyOwner owner) => _owners.TryGetValue(keyHash, out owner!);

    public void Add(string keyHash, ApiKeyOwner owner)
    {
        if (_owners.Count >= Capacity)
        {
            _owners.Clear();
        }

        _owners[keyHash] = owner;
    }
}
