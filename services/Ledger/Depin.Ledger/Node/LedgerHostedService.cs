using Microsoft.Extensions.Hosting;

namespace Depin.Ledger.Node;

/// <summary>Recovers and starts the node with the host; drains it on shutdown.</summary>
internal sealed class LedgerHostedService(LedgerNode node) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        node.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => node.StopAsync();
}
