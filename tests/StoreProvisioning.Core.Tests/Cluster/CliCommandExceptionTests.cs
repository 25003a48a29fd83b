using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class CliCommandExceptionTests
{
    // Tail trims and keeps short text whole; long text keeps its last maxChars characters after an ellipsis.
    [Fact]
    public void Tail_keeps_the_end()
    {
        Assert.Equal("short", CliCommandException.Tail("  short\n"));
        var tail = CliCommandException.Tail("0123456789", maxChars: 4);
        Assert.Equal("…6789", tail);
        Assert.Equal(601, CliCommandException.Tail(new string('x', 5000)).Length);
    }

    // The exception carries the failure kind, the command and the result it was built with.
    [Fact]
    public void Carries_failure_command_and_result()
    {
        var result = new CliResult(3, "out", "err", TimeSpan.FromSeconds(1));
        var ex = new CliCommandException(CliFailure.ExitCode, "helm status acme", "message", result);
        Assert.Equal(CliFailure.ExitCode, ex.Failure);
        Assert.Equal("helm status acme", ex.Command);
        Assert.Same(result, ex.Result);
        Assert.Equal("message", ex.Message);
    }
}
