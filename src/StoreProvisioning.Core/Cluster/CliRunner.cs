using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace StoreProvisioning.Cluster;

/// <summary>
/// The one way the control plane runs helm and kubectl: argument lists through CliWrap (no shell), a timeout that
/// stops the process gracefully (SIGTERM, so helm can mark a release failed instead of leaving it pending), captured
/// output, and errors that name the command and the tail of its stderr.
/// </summary>
public class CliRunner(TimeSpan terminationGrace, ILogger<CliRunner> logger)
{
    private const int SigTerm = 15;

    /// <summary>Runs the command and returns its result whatever the exit code; throws only when it could not run to completion.</summary>
    public virtual async Task<CliResult> RunAsync(CliRequest request, CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(request.Executable)
            .WithArguments(request.Arguments)
            .WithStandardInputPipe(request.StandardInput is null ? PipeSource.Null : PipeSource.FromString(request.StandardInput))
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None);

        var display = request.Display;
        var clock = Stopwatch.StartNew();
        // Not linked to the caller's token: cancellation must reach the process as SIGTERM first (below), and only a
        // process still running after the grace period is killed, so helm can mark its release failed, not pending.
        using var kill = new CancellationTokenSource();
        CommandTask<CommandResult> running;
        try
        {
            running = command.ExecuteAsync(kill.Token);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or FileNotFoundException or UnauthorizedAccessException)
        {
            logger.LogError("Could not start {Command}: {Reason}", display, ex.Message);
            throw new CliCommandException(
                CliFailure.NotStartable,
                display,
                $"Could not start '{request.Executable}' for `{display}`: {ex.Message}. Is it installed, and is the path setting right?",
                inner: ex);
        }

        logger.LogInformation("Running {Command} (pid {Pid}, timeout {Timeout})", display, running.ProcessId, request.Timeout);
        var timedOut = false;
        var deadline = Task.Delay(request.Timeout, CancellationToken.None);
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var first = await Task.WhenAny(running.Task, deadline, cancelled).ConfigureAwait(false);
        if (first != running.Task)
        {
            timedOut = first == deadline;
            logger.LogWarning("{Command} {Why}; sending SIGTERM to pid {Pid}", display, timedOut ? $"ran past {request.Timeout}" : "was cancelled", running.ProcessId);
            Terminate(running.ProcessId);
            if (await Task.WhenAny(running.Task, Task.Delay(terminationGrace, CancellationToken.None)).ConfigureAwait(false) != running.Task)
            {
                logger.LogWarning("{Command} did not exit within {Grace} of SIGTERM; killing it", display, terminationGrace);
                await kill.CancelAsync().ConfigureAwait(false);
            }
        }

        CommandResult finished;
        try
        {
            finished = await running.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timedOut || cancellationToken.IsCancellationRequested)
        {
            finished = null!;
        }

        var result = new CliResult(
            finished?.ExitCode ?? -1,
            Redact(stdout.ToString(), request.Secrets),
            Redact(stderr.ToString(), request.Secrets),
            clock.Elapsed);

        if (timedOut)
        {
            logger.LogWarning("{Command} timed out after {Timeout}", display, request.Timeout);
            throw new CliCommandException(
                CliFailure.TimedOut,
                display,
                $"`{display}` timed out after {Describe(request.Timeout)} and was stopped." + TailSuffix(result.StandardError),
                result);
        }

        cancellationToken.ThrowIfCancellationRequested();
        logger.LogInformation("{Command} exited with {ExitCode} after {Elapsed:0.0}s", display, result.ExitCode, result.Duration.TotalSeconds);
        return result;
    }

    /// <summary>Runs the command and throws a <see cref="CliCommandException"/> unless it exits with 0.</summary>
    public async Task<CliResult> RunCheckedAsync(CliRequest request, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CliCommandException(
                CliFailure.ExitCode,
                request.Display,
                $"`{request.Display}` exited with code {result.ExitCode}." + TailSuffix(result.StandardError.Length > 0 ? result.StandardError : result.StandardOutput),
                result);
        }

        return result;
    }

    /// <summary>"10m", "90s": how people say durations in messages.</summary>
    public static string Describe(TimeSpan duration) =>
        duration.TotalSeconds < 120 ? $"{duration.TotalSeconds:0.#}s" : $"{duration.TotalMinutes:0.#}m";

    private static string TailSuffix(string stderr) =>
        string.IsNullOrWhiteSpace(stderr) ? string.Empty : " stderr: " + CliCommandException.Tail(stderr);

    private static string Redact(string text, IReadOnlyCollection<string>? secrets)
    {
        if (secrets is null)
        {
            return text;
        }

        foreach (var secret in secrets.Where(s => s.Length >= 4))
        {
            text = text.Replace(secret, "[REDACTED]", StringComparison.Ordinal);
        }

        return text;
    }

    private static void Terminate(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No SIGTERM on Windows: the kill after the grace period stops it.
        }

        _ = NativeMethods.Kill(processId, SigTerm);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static extern int Kill(int pid, int signal);
    }
}
