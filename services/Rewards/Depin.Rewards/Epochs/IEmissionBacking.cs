namespace Depin.Rewards.Epochs;

/// <summary>Puts the tokens behind an epoch's rewards before they are credited (the Vault on chain); idempotent per epoch.</summary>
public interface IEmissionBacking
{
    bool IsEnabled { get; }

    /// <summary>Backs <paramref name="microCredits"/> of epoch <paramref name="epoch"/> and credits them to the ledger's reward pool, once.</summary>
    Task BackAsync(long epoch, long microCredits, CancellationToken cancellationToken = default);
}
