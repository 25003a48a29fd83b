using System.Diagnostics;
using System.Text.Json;
using StoreProvisioning.Cluster;
using StoreProvisioning.Core.Tests.Support;

namespace StoreProvisioning.Core.Tests.Cluster;

public sealed class CliRunnerTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly CapturingLoggerProvider logs = new();

    public void Dispose() => dir.Dispose();

    private CliRunner Runner(double graceSeconds = 1) => new(TimeSpan.FromSeconds(graceSeconds), logs.CreateLogger<CliRunner>());

    private static CliRequest Request(string exe, IReadOnlyList<string>? args = null, double timeoutSeconds = 20, string? stdin = null, IReadOnlyCollection<string>? secrets = null) =>
        new(exe, args ?? [], TimeSpan.FromSeconds(timeoutSeconds), stdin, secrets);

    // A single-process python script that prints its argv as JSON, so tests see exactly what the program received.
    private string ArgvEcho() => Scripts.Python(dir, "argv-echo", "import json, sys\nsys.stdout.write(json.dumps(sys.argv[1:]))\n");

    // stdout and stderr are captured separately, with the exit code and a duration.
    [Fact]
    public async Task Captures_stdout_stderr_and_exit_code()
    {
        var exe = Scripts.Bash(dir, "fake", "echo out-line\necho err-line >&2\nexit 0\n");
        var result = await Runner().RunAsync(Request(exe));

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Succeeded);
        Assert.Equal("out-line\n", result.StandardOutput);
        Assert.Equal("err-line\n", result.StandardError);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    // RunAsync returns a non-zero exit code as a result (it does not throw).
    [Fact]
    public async Task RunAsync_returns_non_zero_exit()
    {
        var exe = Scripts.Bash(dir, "fake", "echo nope >&2\nexit 7\n");
        var result = await Runner().RunAsync(Request(exe));
        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("nope\n", result.StandardError);
    }

    // RunCheckedAsync turns a non-zero exit into an ExitCode failure whose message names the command, the code and the stderr tail.
    [Fact]
    public async Task RunChecked_non_zero_names_command_code_and_stderr_tail()
    {
        var exe = Scripts.Bash(dir, "helm", "echo 'progress...'\necho 'Error: INSTALLATION FAILED: context deadline exceeded' >&2\nexit 1\n");
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner().RunCheckedAsync(Request(exe, ["upgrade", "--install", "acme"])));

        Assert.Equal(CliFailure.ExitCode, ex.Failure);
        Assert.Equal("helm upgrade --install acme", ex.Command);
        Assert.Contains("`helm upgrade --install acme`", ex.Message);
        Assert.Contains("exited with code 1", ex.Message);
        Assert.Contains("stderr: Error: INSTALLATION FAILED: context deadline exceeded", ex.Message);
        Assert.Equal(1, ex.Result!.ExitCode);
    }

    // Only the tail of a long stderr goes into the message: the end is kept, the beginning is cut with an ellipsis.
    [Fact]
    public async Task RunChecked_keeps_only_the_stderr_tail()
    {
        var exe = Scripts.Python(dir, "helm", "import sys\nsys.stderr.write('HEAD-' + 'x' * 5000 + '-THE-END')\nsys.exit(2)\n");
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner().RunCheckedAsync(Request(exe)));

        Assert.Contains("-THE-END", ex.Message);
        Assert.DoesNotContain("HEAD-", ex.Message);
        Assert.Contains("…", ex.Message);
        Assert.True(ex.Message.Length < 1000, ex.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // With an empty stderr the message falls back to the stdout tail (kubectl sometimes reports errors there).
    [Fact]
    public async Task RunChecked_uses_stdout_when_stderr_is_empty()
    {
        var exe = Scripts.Bash(dir, "kubectl", "echo 'error: the server doesn'\"'\"'t have a resource type'\nexit 1\n");
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner().RunCheckedAsync(Request(exe, ["get", "x"])));
        Assert.Contains("stderr: error: the server doesn't have a resource type", ex.Message);
    }

    // A zero exit passes RunCheckedAsync and returns the captured output.
    [Fact]
    public async Task RunChecked_returns_result_on_success()
    {
        var exe = Scripts.Bash(dir, "fake", "printf v3.17.3\n");
        var result = await Runner().RunCheckedAsync(Request(exe));
        Assert.Equal("v3.17.3", result.StandardOutput);
    }

    // Past its timeout the process gets SIGTERM first (its trap runs and leaves a marker), and the call fails as TimedOut "timed out after 1s".
    [Fact]
    public async Task Timeout_sends_sigterm_first_then_reports_timed_out()
    {
        var marker = dir.File("got-term");
        var exe = Scripts.Python(dir, "slow-helm", """
            import signal, sys, time
            def on_term(signum, frame):
                with open(sys.argv[1], 'w') as f:
                    f.write('TERM')
                sys.stderr.write('Error: release acme failed: signal received\n')
                sys.stderr.flush()
                sys.exit(143)
            signal.signal(signal.SIGTERM, on_term)
            sys.stderr.write('waiting\n')
            sys.stderr.flush()
            while True:
                time.sleep(0.02)
            """);

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner(graceSeconds: 10).RunAsync(Request(exe, [marker], timeoutSeconds: 1)));
        clock.Stop();

        Assert.Equal(CliFailure.TimedOut, ex.Failure);
        Assert.Contains("timed out after 1s", ex.Message);
        Assert.Contains("signal received", ex.Message);
        Assert.Equal("TERM", File.ReadAllText(marker));
        Assert.Equal(143, ex.Result!.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"SIGTERM should end it well before the 10s grace; took {clock.Elapsed}");
    }

    // A process that ignores SIGTERM is killed once the grace period has passed, and the call still reports TimedOut.
    [Fact]
    public async Task Process_ignoring_sigterm_is_killed_after_grace()
    {
        var pidFile = dir.File("pid");
        var exe = Scripts.Python(dir, "stubborn", """
            import os, signal, sys, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            with open(sys.argv[1], 'w') as f:
                f.write(str(os.getpid()))
            while True:
                time.sleep(0.02)
            """);

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner(graceSeconds: 0.5).RunAsync(Request(exe, [pidFile], timeoutSeconds: 1)));
        clock.Stop();

        Assert.Equal(CliFailure.TimedOut, ex.Failure);
        Assert.Contains("timed out after 1s", ex.Message);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"the grace period must be waited out; took {clock.Elapsed}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var pid = int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} should be gone");
        Assert.Contains(logs.Lines, l => l.Contains("did not exit within", StringComparison.Ordinal));
    }

    // Cancelling the caller's token also stops the process with SIGTERM first, and surfaces as cancellation.
    [Fact]
    public async Task Cancellation_sends_sigterm_and_throws_cancelled()
    {
        var marker = dir.File("got-term");
        var ready = dir.File("ready");
        var exe = Scripts.HonoursSigterm(dir, "slow");

        using var cts = new CancellationTokenSource();
        var run = Runner(graceSeconds: 5).RunAsync(Request(exe, [marker, ready], timeoutSeconds: 30), cts.Token);
        await Scripts.WaitForFileAsync(ready);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("TERM", File.ReadAllText(marker));
    }

    // Shutdown stops every running process: SIGTERM to one that honours it, SIGKILL after the grace period to one that
    // does not; StopAllAsync returns only when both are gone, the callers see cancellation, and nothing starts afterwards.
    [Fact]
    public async Task StopAll_terminates_then_kills_every_running_process_and_refuses_new_ones()
    {
        var marker = dir.File("got-term");
        var politeReady = dir.File("polite-ready");
        var stubbornPid = dir.File("stubborn-pid");
        var polite = Scripts.HonoursSigterm(dir, "polite");
        var stubborn = Scripts.Python(dir, "stubborn", """
            import os, signal, sys, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            with open(sys.argv[1], 'w') as f:
                f.write(str(os.getpid()))
            while True:
                time.sleep(0.02)
            """);

        var runner = Runner(graceSeconds: 1);
        var first = runner.RunAsync(Request(polite, [marker, politeReady], timeoutSeconds: 60));
        var second = runner.RunAsync(Request(stubborn, [stubbornPid], timeoutSeconds: 60));
        await Scripts.WaitForFileAsync(politeReady);
        await Scripts.WaitForFileAsync(stubbornPid);
        var pid = int.Parse(File.ReadAllText(stubbornPid), System.Globalization.CultureInfo.InvariantCulture);

        var clock = Stopwatch.StartNew();
        await runner.StopAllAsync();
        clock.Stop();

        Assert.Equal("TERM", File.ReadAllText(marker));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} should have been killed");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the grace period must be waited out; took {clock.Elapsed}");
        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Contains("shutting down", stopped.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(Request(polite, [marker, politeReady])));
    }

    // A missing executable (absolute path or bare name not on PATH) fails as NotStartable with an install hint.
    [Theory]
    [InlineData("/nonexistent/bin/helm")]
    [InlineData("definitely-not-a-real-helm-binary")]
    public async Task Missing_executable_is_not_startable(string exe)
    {
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner().RunAsync(Request(exe, ["version"])));
        Assert.Equal(CliFailure.NotStartable, ex.Failure);
        Assert.Contains(exe, ex.Message);
        Assert.Contains("Is it installed", ex.Message);
        Assert.Null(ex.Result);
    }

    // A file that exists but is not executable also fails as NotStartable, through RunCheckedAsync too.
    [Fact]
    public async Task Non_executable_file_is_not_startable()
    {
        var path = dir.File("not-exec");
        File.WriteAllText(path, "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner().RunCheckedAsync(Request(path)));
        Assert.Equal(CliFailure.NotStartable, ex.Failure);
    }

    // StandardInput is piped to the process verbatim (multi-line, unicode); without it stdin is empty, not inherited.
    [Fact]
    public async Task Stdin_is_piped()
    {
        var exe = Scripts.Python(dir, "cat", "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n");
        var manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: store-caf\u00e9\n";

        var piped = await Runner().RunCheckedAsync(Request(exe, stdin: manifest));
        var none = await Runner().RunCheckedAsync(Request(exe));

        Assert.Equal(manifest, piped.StandardOutput);
        Assert.Equal(string.Empty, none.StandardOutput);
    }

    // Arguments with spaces, quotes, ;, $(), backticks, globs, newlines and unicode reach the program verbatim: no shell is involved.
    [Fact]
    public async Task Arguments_reach_the_program_verbatim()
    {
        var pwned = dir.File("pwned");
        string[] args =
        [
            "plain",
            "with space",
            "double\"quote",
            "single'quote",
            "semi;colon; rm -rf /",
            $"$(touch {pwned})",
            $"`touch {pwned}`",
            "*",
            "back\\slash\\",
            "\\\"",
            "a && b || c | d > e",
            "--set=a b",
            "new\nline",
            "tab\tbed",
            "caf\u00e9 \u2603",
            "",
            "   ",
        ];

        var result = await Runner().RunCheckedAsync(Request(ArgvEcho(), args));

        Assert.Equal(args, JsonSerializer.Deserialize<string[]>(result.StandardOutput));
        Assert.False(File.Exists(pwned));
    }

    // Secrets are redacted from captured stdout and stderr, from the error message and from the log.
    [Fact]
    public async Task Secrets_are_redacted_from_output_errors_and_logs()
    {
        const string Secret = "s3cr3t-Pa55w0rd-XYZ";
        const string Other = "db-pass-ABCDEFGH";
        var exe = Scripts.Bash(dir, "helm", $"echo 'password={Secret}'\necho 'Error: bad {Other} and {Secret}' >&2\nexit 1\n");

        var request = Request(exe, ["upgrade"], secrets: [Secret, Other]);
        var result = await Runner().RunAsync(request);
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner().RunCheckedAsync(request));

        Assert.Equal("password=[REDACTED]\n", result.StandardOutput);
        Assert.Equal("Error: bad [REDACTED] and [REDACTED]\n", result.StandardError);
        Assert.DoesNotContain(Secret, ex.Message);
        Assert.DoesNotContain(Other, ex.Message);
        Assert.Contains("[REDACTED]", ex.Message);
        Assert.DoesNotContain(Secret, ex.Result!.StandardOutput + ex.Result.StandardError);
        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line));
    }

    // Secrets are also redacted from the stderr tail of a timeout message.
    [Fact]
    public async Task Secrets_are_redacted_from_timeout_messages()
    {
        const string Secret = "timeout-secret-123456";
        var exe = Scripts.Python(dir, "helm", $$"""
            import sys, time
            sys.stderr.write('leaking {{Secret}}\n')
            sys.stderr.flush()
            time.sleep(30)
            """);
        var ex = await Assert.ThrowsAsync<CliCommandException>(() => Runner(graceSeconds: 2).RunAsync(Request(exe, timeoutSeconds: 1, secrets: [Secret])));
        Assert.Equal(CliFailure.TimedOut, ex.Failure);
        Assert.DoesNotContain(Secret, ex.Message);
        Assert.Contains("leaking [REDACTED]", ex.Message);
    }

    // Values shorter than 4 characters are not treated as secrets (redacting them would mangle ordinary output).
    [Fact]
    public async Task Very_short_secrets_are_not_redacted()
    {
        var exe = Scripts.Bash(dir, "fake", "echo abc\n");
        var result = await Runner().RunAsync(Request(exe, secrets: ["abc"]));
        Assert.Equal("abc\n", result.StandardOutput);
    }

    // Durations read the way people say them: seconds under two minutes, minutes above.
    [Theory]
    [InlineData(1_000, "1s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(90_000, "90s")]
    [InlineData(119_000, "119s")]
    [InlineData(120_000, "2m")]
    [InlineData(600_000, "10m")]
    [InlineData(630_000, "10.5m")]
    public void Describe_durations(int milliseconds, string expected) =>
        Assert.Equal(expected, CliRunner.Describe(TimeSpan.FromMilliseconds(milliseconds)));
}
