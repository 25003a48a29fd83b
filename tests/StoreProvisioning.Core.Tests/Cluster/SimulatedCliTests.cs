using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public sealed class SimulatedCliTests
{
    // A real CLI's git SHA leaves the version as it is; the fakes' "FAKE: ..." commit is shown next to it.
    [Theory]
    [InlineData("v3.17.3", "e4da49785aa6e6ee2b86efd5dd9e43400318262b", "v3.17.3")]
    [InlineData("v3.17.3", null, "v3.17.3")]
    [InlineData("v3.17.3", "", "v3.17.3")]
    [InlineData("v3.17.3", "FAKE: tests/fakes - simulated helm, no cluster", "v3.17.3 (FAKE: tests/fakes - simulated helm, no cluster)")]
    [InlineData("v1.35.2", "fake", "v1.35.2")]
    public void Describe_names_a_simulated_cli(string version, string? commit, string expected) =>
        Assert.Equal(expected, SimulatedCli.Describe(version, commit));
}
