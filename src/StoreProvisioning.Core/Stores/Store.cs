namespace StoreProvisioning.Stores;

/// <summary>A store as the control plane records it. Holds no secrets.</summary>
public sealed record Store
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string UserId { get; init; }

    public required StoreEngine Engine { get; init; }

    public required StoreStatus Status { get; init; }

    /// <summary>The in-flight or last operation.</summary>
    public StoreOperation? Operation { get; init; }

    /// <summary>Fencing token of the in-flight operation: only the activity that carries it may record an outcome.</summary>
    public string? OperationId { get; init; }

    /// <summary>The operation a retry re-runs (install, upgrade or rollback); set when an operation fails.</summary>
    public StoreOperation? FailedOperation { get; init; }

    /// <summary>Non-secret arguments of the last operation (upgrade value overrides, rollback revision) as JSON, so a retry can repeat it.</summary>
    public string? OperationArgs { get; init; }

    public int? Revision { get; init; }

    /// <summary>The store's plan (catalog): the namespace's quota and limits and the workload's sizing.</summary>
    public string Plan { get; init; } = "small";

    public string? Error { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Each store lives alone in namespace store-{name}.</summary>
    public string Namespace => NamespaceFor(Name);

    /// <summary>The Helm release is named after the store.</summary>
    public string Release => Name;

    public static string NamespaceFor(string storeName) => $"store-{storeName}";
}
