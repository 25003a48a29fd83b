namespace StoreProvisioning.Functions.Tests;

/// <summary>
/// Orchestration tests start real processes and measure timing (overlaps, deadlines); they run one class at a time so
/// a 2-core CI machine does not turn their timing into noise. Pure unit tests run in parallel outside it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OrchestrationCollection
{
    public const string Name = "orchestrations";
}
