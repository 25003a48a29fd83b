using StoreProvisioning.Cluster;

namespace StoreProvisioning.Lifecycle;

/// <summary>Picks the revision a rollback goes to, from `helm history`. Pure.</summary>
public static class RollbackTarget
{
    /// <summary>
    /// The requested revision when it exists and is not the current one; otherwise the newest revision before the
    /// current one that was good (deployed or superseded). Null with a reason when there is nothing to roll back to.
    /// </summary>
    public static (int? Revision, string? Reason) Choose(IReadOnlyList<HelmRevision> history, int? requested)
    {
        if (history.Count == 0)
        {
            return (null, "helm has no history for this release, so there is nothing to roll back to.");
        }

        var current = history.Max(r => r.Revision);
        if (requested is { } wanted)
        {
            if (wanted == current)
            {
                return (null, $"Revision {wanted} is the current revision.");
            }

            return history.Any(r => r.Revision == wanted)
                ? (wanted, null)
                : (null, $"Revision {wanted} is not in the release history (revisions {history.Min(r => r.Revision)}..{current}).");
        }

        var target = history
            .Where(r => r.Revision < current && r.Status is HelmStatuses.Superseded or HelmStatuses.Deployed)
            .OrderByDescending(r => r.Revision)
            .FirstOrDefault();
        return target is null
            ? (null, $"No good revision before revision {current} to roll back to.")
            : (target.Revision, null);
    }
}
