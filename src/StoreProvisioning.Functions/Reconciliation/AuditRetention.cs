using Microsoft.Extensions.Logging;
using StoreProvisioning.Configuration;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Reconciliation;

/// <summary>
/// Prunes audit rows and finished operation runs older than AUDIT_RETENTION_DAYS on every reconcile tick. The metrics'
/// cumulative counters live in their own table, so they stay as they were.
/// </summary>
public sealed class AuditRetention(StoreRepository repository, StoreProvisioningOptions options, TimeProvider clock, ILogger<AuditRetention> logger)
{
    /// <summary>How many rows went; a database fault is logged and retried on the next tick.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var cutoff = clock.GetUtcNow().AddDays(-options.AuditRetentionDays);
            var pruned = await repository.PruneAuditAsync(cutoff, cancellationToken: cancellationToken);
            var runs = await repository.PruneOperationRunsAsync(cutoff, cancellationToken: cancellationToken);
            if (runs > 0)
            {
                logger.LogInformation("Pruned {Count} operation run(s) older than {Days} days", runs, options.AuditRetentionDays);
            }

            if (pruned > 0)
            {
                logger.LogInformation("Pruned {Count} audit row(s) older than {Days} days", pruned, options.AuditRetentionDays);
            }

            return pruned;
        }
        catch (System.Data.Common.DbException ex)
        {
            logger.LogWarning(ex, "Could not prune old audit rows; will try again on the next reconcile tick");
            return 0;
        }
    }
}
