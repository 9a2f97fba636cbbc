using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Depin.Ledger.Node;

/// <summary>Unhealthy once a storage failure has stopped the node.</summary>
internal sealed class LedgerHealthCheck(LedgerNode node) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(node.IsFaulted
            ? HealthCheckResult.Unhealthy("ledger storage failed")
            : HealthCheckResult.Healthy($"height {node.Height}, {node.Pending} pending"));
}
