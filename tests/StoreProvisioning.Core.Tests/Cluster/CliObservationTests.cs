using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

/// <summary>What the CLI runner tells its observer: tool, subcommand (never the rest of argv), exit and duration.</summary>
public sealed class CliObservationTests
{
    private sealed class Recorder : ICliObserver
    {
        public List<CliExecution> Seen { get; } = [];

        public void Exited(CliExecution execution) => Seen.Add(execution);
    }

    private static readonly CliRequest Upgrade = new("/opt/tools/helm", ["upgrade", "--install", "acme", "/charts/woocommerce", "--values", "/tmp/secret-values.json"], TimeSpan.FromMinutes(1));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "1")]
    [InlineData(137, "137")]
    public async Task An_exit_code_is_the_exit_label(int code, string exit)
    {
        var recorder = new Recorder();
        var result = await CliObservation.ObserveAsync(recorder, Upgrade, () => Task.FromResult(new CliResult(code, "", "", TimeSpan.Zero)));

        Assert.Equal(code, result.ExitCode);
        var seen = Assert.Single(recorder.Seen);
        Assert.Equal(("helm", "upgrade", exit), (seen.Tool, seen.Command, seen.Exit));
    }

    [Theory]
    [InlineData(CliFailure.TimedOut, "timeout")]
    [InlineData(CliFailure.NotStartable, "missing")]
    public async Task A_timeout_or_a_missing_binary_is_named(CliFailure failure, string exit)
    {
        var recorder = new Recorder();
        await Assert.ThrowsAsync<CliCommandException>(() => CliObservation.ObserveAsync(
            recorder, Upgrade, () => Task.FromException<CliResult>(new CliCommandException(failure, "helm upgrade", "failed"))));
        Assert.Equal(exit, Assert.Single(recorder.Seen).Exit);
    }

    [Fact]
    public async Task A_cancelled_run_is_cancelled()
    {
        var recorder = new Recorder();
        await Assert.ThrowsAsync<OperationCanceledException>(() => CliObservation.ObserveAsync(
            recorder, Upgrade, () => Task.FromException<CliResult>(new OperationCanceledException())));
        Assert.Equal("cancelled", Assert.Single(recorder.Seen).Exit);
    }

    // The labels never carry argv beyond the subcommand: no release names, paths or values files.
    [Theory]
    [InlineData(new[] { "get", "pods", "--namespace", "store-acme" }, "get")]
    [InlineData(new[] { "delete", "namespace", "store-acme" }, "delete")]
    [InlineData(new[] { "--namespace", "store-acme", "get" }, "other")]
    [InlineData(new[] { "/tmp/values.json" }, "other")]
    [InlineData(new[] { "Upgrade" }, "other")]
    [InlineData(new string[0], "other")]
    public void The_command_is_the_subcommand_only(string[] argv, string command) => Assert.Equal(command, CliObservation.CommandOf(argv));

    [Theory]
    [InlineData("helm", "helm")]
    [InlineData("/usr/local/bin/kubectl", "kubectl")]
    [InlineData("C:/tools/helm.exe", "helm")]
    [InlineData("/tmp/wrapper with spaces", "other")]
    public void The_tool_is_the_program_name(string executable, string tool) => Assert.Equal(tool, CliObservation.ToolOf(executable));

    // The runner itself reports each real process it ran: one observation per run, exit code included.
    [Fact]
    public async Task The_runner_reports_every_process()
    {
        var recorder = new Recorder();
        var runner = new CliRunner(TimeSpan.FromSeconds(5), Microsoft.Extensions.Logging.Abstractions.NullLogger<CliRunner>.Instance) { Observer = recorder };
        await runner.RunAsync(new CliRequest("sh", ["-c", "exit 3"], TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<CliCommandException>(() => runner.RunAsync(new CliRequest("/nonexistent/helm", ["version"], TimeSpan.FromSeconds(30))));

        Assert.Equal([("sh", "other", "3"), ("helm", "version", "missing")], recorder.Seen.Select(s => (s.Tool, s.Command, s.Exit)));
    }
}
