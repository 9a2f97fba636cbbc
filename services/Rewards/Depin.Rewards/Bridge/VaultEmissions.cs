using System.Numerics;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Depin.Rewards.Anchoring;
using Depin.Rewards.Epochs;

namespace Depin.Rewards.Bridge;

/// <summary>
/// Backs each epoch's rewards with tokens before they are credited: the epoch's distributed micro-credits are minted into
/// the Vault (once per epoch: the Vault refuses a second mint, and a mint already on chain is not repeated), then
/// deposited into the ledger's reward pool under an id derived from the epoch, so a close resumed after a crash does
/// neither twice. Without a Vault (no chain) it is off and the pool is funded as configured.
/// </summary>
public sealed class VaultEmissions(RewardsChain chain, ILedgerClient ledger) : IEmissionBacking
{
    /// <summary>The namespace UUID of the reward pool's emission deposits.</summary>
    private static readonly Guid Namespace = new("2f9a7c3e-81d4-5b60-a1c2-7e3d9b0f4a55");

    public bool IsEnabled => chain.Vault is not null;

    public async Task BackAsync(long epoch, long microCredits, CancellationToken cancellationToken = default)
    {
        VaultContract vault = chain.Vault ?? throw new InvalidOperationException("Rewards:Chain:VaultAddress is not configured.");
        if (microCredits <= 0)
        {
            return;
        }

        BigInteger units = microCredits * VaultContract.UnitsPerMicroCredit;
        BigInteger minted = await vault.EmittedAsync((ulong)epoch, cancellationToken).ConfigureAwait(false);
        if (minted.IsZero)
        {
            await vault.MintEmissionAsync((ulong)epoch, units, cancellationToken).ConfigureAwait(false);
        }
        else if (minted != units)
        {
            throw new InvalidOperationException($"The Vault holds an emission of {minted} base units for epoch {epoch}, but the epoch distributes {units}.");
        }

        ReceiptDto receipt = (await ledger.SubmitAsync(
            [new LedgerTransactionDto(DepositId(epoch).ToString(), "deposit", To: LedgerAccounts.RewardPool, Amount: microCredits)],
            cancellationToken).ConfigureAwait(false))[0];
        if (!receipt.Succeeded)
        {
            throw new InvalidOperationException($"The ledger refused epoch {epoch}'s emission deposit to the reward pool: {receipt.Status}.");
        }
    }

    /// <summary>The ledger id of epoch <paramref name="epoch"/>'s deposit into the reward pool (RFC 4122 version 5).</summary>
    public static Guid DepositId(long epoch) => NameBasedIds.V5(Namespace, $"epoch-emission/{epoch}");
}
