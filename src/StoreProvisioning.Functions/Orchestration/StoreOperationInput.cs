using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// What every store orchestration is started with. Holds no secrets: orchestration inputs are persisted in the
/// durable history. The operation id fences the store row: only steps carrying it may record outcomes.
/// </summary>
/// <param name="ArgsJson">Non-secret operation arguments (<see cref="Application.OperationArgs"/>) as JSON.</param>
public sealed record StoreOperationInput(
    string StoreName,
    string OperationId,
    StoreOperation Operation,
    StoreEngine Engine,
    string? ArgsJson);
