using StoreProvisioning.Stores;

namespace StoreProvisioning.Persistence;

/// <summary>Store counts by status and accepted requests by audit action ("upgrade.requested" → count).</summary>
public sealed record StoreMetrics(
    IReadOnlyDictionary<StoreStatus, int> ByStatus,
    IReadOnlyDictionary<string, int> RequestsByAction,
    double? AverageInstallSeconds)
{
    public int Requests(string action) => RequestsByAction.TryGetValue(action, out var n) ? n : 0;
}
