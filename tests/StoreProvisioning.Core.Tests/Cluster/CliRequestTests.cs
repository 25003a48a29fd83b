using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class CliRequestTests
{
    // The command's display is the program's file name and its arguments, as used in messages and logs.
    [Fact]
    public void Display_is_file_name_and_arguments() =>
        Assert.Equal("helm status acme --output json", new CliRequest("/usr/local/bin/helm", ["status", "acme", "--output", "json"], TimeSpan.FromSeconds(1)).Display);

    // Only exit code 0 counts as success.
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(-1, false)]
    [InlineData(143, false)]
    public void Succeeded_only_on_zero(int exitCode, bool succeeded) =>
        Assert.Equal(succeeded, new CliResult(exitCode, string.Empty, string.Empty, TimeSpan.Zero).Succeeded);
}
