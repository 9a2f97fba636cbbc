using System.Net;
using Depin.Chain;
using Depin.Contracts.Ledger;
using Refit;

namespace Depin.Rewards.Anchoring;

/// <summary><see cref="ILedgerHeadSource"/> that asks a standalone ledger service for its latest block (GET /api/ledger/blocks/latest).</summary>
public sealed class LedgerApiHeadSource(ILedgerApi api) : ILedgerHeadSource
{
    public async ValueTask<LedgerHead?> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            BlockDto block = await api.GetLatestBlockAsync(cancellationToken).ConfigureAwait(false);
            return new LedgerHead(block.Height, Hash32.Parse(block.StateRoot));
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
