namespace StoreProvisioning.Cluster;

/// <summary>What `helm status -o json` says of a release: its status (deployed, failed, pending-install, ...) and revision.</summary>
public sealed record HelmReleaseStatus(string Status, int Revision, string? Description)
{
    public bool IsDeployed => Status == HelmStatuses.Deployed;

    public bool IsPending => Status.StartsWith("pending-", StringComparison.Ordinal);
}

/// <summary>One row of `helm list -o json`: a release's latest revision.</summary>
public sealed record HelmListedRelease(string Name, string Namespace, HelmReleaseStatus Status);

/// <summary>One row of `helm history -o json` (chart as name-version, the app version and when the revision was written).</summary>
public sealed record HelmRevision(int Revision, string Status, string? Chart, string? Description, string? AppVersion = null, DateTimeOffset? Updated = null);

/// <summary>helm's release status names.</summary>
public static class HelmStatuses
{
    public const string Deployed = "deployed";
    public const string Failed = "failed";
    public const string Superseded = "superseded";
    public const string Uninstalling = "uninstalling";
    public const string PendingInstall = "pending-install";
    public const string PendingUpgrade = "pending-upgrade";
    public const string PendingRollback = "pending-rollback";
}
