namespace StoreProvisioning.Functions.Tests;

/// <summary>
/// Orchestration tests that measure timing (overlaps, deadlines, hangs) run one class at a time, so a 2-core CI
/// machine does not turn their timing into noise. Lifecycle tests run beside them (<see cref="LifecycleCollection"/>);
/// pure unit tests run in parallel outside both.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OrchestrationCollection
{
    public const string Name = "orchestrations";
}

/// <summary>Orchestration tests whose assertions do not depend on timing; one class at a time, beside <see cref="OrchestrationCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LifecycleCollection
{
    public const string Name = "lifecycle";
}
