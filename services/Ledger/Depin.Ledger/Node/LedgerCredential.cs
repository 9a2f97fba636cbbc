namespace Depin.Ledger.Node;

/// <summary>A service's credential for ledger writes ("Ledger:Credentials:{name}").</summary>
public sealed class LedgerCredential
{
    /// <summary>The key the service sends in X-Api-Key.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Programs the service may submit, by wire name (e.g. "reward-credit"). Empty: none.</summary>
    public string[] Programs { get; set; } = [];
}
