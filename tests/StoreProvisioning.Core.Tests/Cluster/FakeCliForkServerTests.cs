using System.Diagnostics;
using System.Text.Json;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Testing;

namespace StoreProvisioning.Core.Tests.Cluster;

/// <summary>
/// scripts/bench.sh launches the fakes through tests/fakes/fork_server.py (a worker runs the fake's code for a small C
/// launcher). Its figures only mean something if a launch behaves for its caller as the plain python fake does: the
/// same output, exit codes, stdin, SIGTERM handling and, when the caller kills it, the same abrupt end.
/// Every case runs against both launches.
/// </summary>
public sealed class FakeCliForkServerTests : IClassFixture<FakeCliForkServerTests.ForkServer>, IDisposable
{
    private readonly ForkServer server;
    private readonly TempDirectory state = new();

    public FakeCliForkServerTests(ForkServer server) => this.server = server;

    public void Dispose() => state.Dispose();

    public static TheoryData<string> Launches => new() { "python", "fork" };

    [Theory]
    [MemberData(nameof(Launches))]
    public async Task Output_exit_codes_and_stdin_are_those_of_the_fake(string launch)
    {
        var version = await RunAsync(launch, "helm", ["version", "--template", "{{.Version}}"]);
        Assert.Equal((0, "v3.17.3", ""), (version.Exit, version.Stdout.Trim(), version.Stderr));

        var missing = await RunAsync(launch, "helm", ["status", "absent", "-n", "store-absent", "-o", "json"]);
        Assert.Equal(1, missing.Exit);
        Assert.Equal("Error: release: not found", missing.Stderr.Trim());

        const string manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: store-echo\n  labels:\n    team: blue\n";
        var apply = await RunAsync(launch, "kubectl", ["apply", "-f", "-"], stdin: manifest);
        Assert.Equal((0, "namespace/store-echo created"), (apply.Exit, apply.Stdout.Trim()));

        var read = await RunAsync(launch, "kubectl", ["get", "namespace", "store-echo", "-o", "json"]);
        using var ns = JsonDocument.Parse(read.Stdout);
        Assert.Equal("blue", ns.RootElement.GetProperty("metadata").GetProperty("labels").GetProperty("team").GetString());

        // The environment is each launch's own: a run that sets a helm version never leaks it into a later run,
        // whichever worker of the pool takes them.
        for (var i = 0; i < 6; i++)
        {
            var other = await RunAsync(launch, "helm", ["version", "--template", "{{.Version}}"], ("FAKE_HELM_VERSION", $"v4.1.{i}"));
            Assert.Equal($"v4.1.{i}", other.Stdout.Trim());
            var plain = await RunAsync(launch, "helm", ["version", "--template", "{{.Version}}"]);
            Assert.Equal("v3.17.3", plain.Stdout.Trim());
        }

        Assert.All(new FakeCliState(state.Path).Calls(), call => Assert.NotNull(call.End));
    }

    // CliRunner stops a run with SIGTERM: the fake helm marks its release failed and exits 1, as helm does.
    [Theory]
    [MemberData(nameof(Launches))]
    public async Task Sigterm_reaches_the_fake_and_it_ends_as_helm_does(string launch)
    {
        using var process = Start(launch, "helm", Upgrade, ("FAKE_HELM_DELAY_SECONDS", "30"));
        await WaitForReleaseAsync("pending-install");
        // The fake writes the pending revision just before it installs its SIGTERM handler: let it get there.
        await Task.Delay(200);
        Assert.Equal(0, Kill(process.Id, 15));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("context canceled", await process.StandardError.ReadToEndAsync());
        Assert.Equal("failed", ReleaseStatus());
        Assert.Equal(1, Assert.Single(new FakeCliState(state.Path).Calls()).Exit);
    }

    // A caller that kills the process (CliRunner after its grace period) ends the run there and then: the release
    // stays pending, and no end line follows, also after the time the run would have taken.
    [Theory]
    [MemberData(nameof(Launches))]
    public async Task A_killed_launch_stops_its_run(string launch)
    {
        using var process = Start(launch, "helm", Upgrade, ("FAKE_HELM_DELAY_SECONDS", "1.5"));
        await WaitForReleaseAsync("pending-install");
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal("pending-install", ReleaseStatus());
        Assert.Null(Assert.Single(new FakeCliState(state.Path).Calls()).End);
    }

    private static readonly string[] Upgrade = ["upgrade", "--install", "slow", "/charts/woocommerce", "-n", "store-slow", "--wait", "--timeout", "60s"];

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string launch, string tool, string[] args, (string, string)? env = null, string? stdin = null)
    {
        using var process = Start(launch, tool, args, env);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return (process.ExitCode, await stdout, await stderr);
    }

    private Process Start(string launch, string tool, string[] args, (string Name, string Value)? env = null)
    {
        var info = new ProcessStartInfo(launch == "fork" ? Path.Combine(server.Launchers, tool) : Path.Combine(RepositoryFiles.FakesFolder, tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["FAKE_CLI_STATE"] = state.Path;
        info.Environment["FAKE_CLI_SERVER"] = server.Socket;
        info.Environment["FAKE_HELM_SKIP_CHART_CHECK"] = "1";
        info.Environment["FAKE_HELM_SKIP_NAMESPACE_CHECK"] = "1";
        if (env is { } e)
        {
            info.Environment[e.Name] = e.Value;
        }

        return Process.Start(info)!;
    }

    private string? ReleaseStatus() =>
        new FakeCliState(state.Path).Release("store-slow", "slow") is { } release
            ? release.RootElement.GetProperty("revisions").EnumerateArray().Last().GetProperty("status").GetString()
            : null;

    private async Task WaitForReleaseAsync(string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (ReleaseStatus() != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the release did not become {status}; it is {ReleaseStatus() ?? "absent"}");
            await Task.Delay(20);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>fork_launcher.c built with the machine's C compiler, and fork_server.py running on a socket of its own.</summary>
    public sealed class ForkServer : IDisposable
    {
        private readonly TempDirectory dir = new();
        private readonly Process process;

        public ForkServer()
        {
            Launchers = dir.Path;
            Socket = dir.File("fork.sock");
            Run("gcc", "-O2", "-o", Path.Combine(Launchers, "helm"), Path.Combine(RepositoryFiles.FakesFolder, "fork_launcher.c"));
            File.Copy(Path.Combine(Launchers, "helm"), Path.Combine(Launchers, "kubectl"));
            process = Process.Start(new ProcessStartInfo("python3", ["-S", Path.Combine(RepositoryFiles.FakesFolder, "fork_server.py"), Socket])
            {
                RedirectStandardInput = true,
            })!;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!File.Exists(Socket))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("tests/fakes/fork_server.py did not open its socket");
                }

                Thread.Sleep(20);
            }
        }

        public string Launchers { get; }

        public string Socket { get; }

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            dir.Dispose();
        }

        private static void Run(string exe, params string[] args)
        {
            using var build = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardError = true })!;
            var error = build.StandardError.ReadToEnd();
            build.WaitForExit();
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"{exe} failed: {error}");
            }
        }
    }
}
