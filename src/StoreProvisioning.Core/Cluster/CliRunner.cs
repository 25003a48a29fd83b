using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Observability;

namespace StoreProvisioning.Cluster;

/// <summary>
/// The one way the control plane runs helm and kubectl: argument lists through CliWrap (no shell), a timeout that
/// stops the process gracefully (SIGTERM, so helm can mark a release failed instead of leaving it pending), captured
/// output, and errors that name the command and the tail of its stderr. On shutdown (<see cref="StopAllAsync"/>) every
/// process it still runs is stopped the same way, so none outlives the control plane as an orphan.
/// </summary>
public class CliRunner(TimeSpan terminationGrace, ILogger<CliRunner> logger)
{
    private const int SigTerm = 15;

    private readonly CancellationTokenSource shuttingDown = new();
    private readonly ConcurrentDictionary<long, Running> processes = new();
    private long runs;

    /// <summary>Told of every run once it has ended (tool, subcommand, exit, duration): the metrics hook.</summary>
    public ICliObserver Observer { get; init; } = CliObservation.None;

    /// <summary>
    /// Runs the command and returns its result whatever the exit code; throws only when it could not run to completion.
    /// Traced as one span (<see cref="Observability.CliSpan"/>) named after the tool and subcommand, with the argv as the
    /// log shows it, and observed by <see cref="Observer"/>.
    /// </summary>
    public virtual Task<CliResult> RunAsync(CliRequest request, CancellationToken cancellationToken = default) =>
        CliObservation.ObserveAsync(Observer, request, () => RunTracedAsync(request, cancellationToken));

    private async Task<CliResult> RunTracedAsync(CliRequest request, CancellationToken cancellationToken)
    {
        using var span = CliSpan.Start(request, Redact(request.Display, request.Secrets));
        try
        {
            var result = await RunProcessAsync(request, cancellationToken).ConfigureAwait(false);
            CliSpan.Exited(span, result.ExitCode, answered: !result.Succeeded && request.IsAnswer?.Invoke(result) == true);
            return result;
        }
        catch (Exception ex)
        {
            CliSpan.Failed(span, ex);
            throw;
        }
    }

    private async Task<CliResult> RunProcessAsync(CliRequest request, CancellationToken cancellationToken)
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
        if (shuttingDown.IsCancellationRequested)
        {
            throw ShutdownStopped(display);
        }

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

        var run = Interlocked.Increment(ref runs);
        // Not disposed: CancelScopeAsync may still signal it after the run has ended.
        var cancel = new CancellationTokenSource();
        var exited = running.Task.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        processes[run] = new Running(exited, request.Scope, cancel);
        try
        {
            return await WaitAsync(request, running, kill, cancel.Token, stdout, stderr, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            processes.TryRemove(run, out _);
        }
    }

    /// <summary>
    /// Graceful shutdown: every process still running gets SIGTERM now and is killed if it has not exited after the
    /// grace period; returns when all have exited (or <paramref name="cancellationToken"/> gives up). Nothing starts
    /// afterwards. The callers see an <see cref="OperationCanceledException"/>, as when the process dies with its host,
    /// so an interrupted operation is recovered the way a crash is.
    /// </summary>
    public async Task StopAllAsync(CancellationToken cancellationToken = default)
    {
        await shuttingDown.CancelAsync().ConfigureAwait(false);
        while (processes.Values.Select(p => p.Exited).Where(p => !p.IsCompleted).ToArray() is { Length: > 0 } still)
        {
            logger.LogWarning("Shutting down: stopping {Count} running CLI process(es)", still.Length);
            try
            {
                await Task.WhenAll(still).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                logger.LogError("Shutdown gave up waiting for {Count} CLI process(es) to exit", processes.Count);
                return;
            }
        }
    }

    /// <summary>
    /// An operator's cancel: every process running for <paramref name="scope"/> (a store's namespace, see
    /// <see cref="CliRequest.Scope"/>) gets SIGTERM now and SIGKILL after the grace period; returns how many there were
    /// once all have exited. Their callers see an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<int> CancelScopeAsync(string scope, CancellationToken cancellationToken = default)
    {
        var matching = processes.Values.Where(p => p.Scope == scope && !p.Exited.IsCompleted).ToArray();
        foreach (var process in matching)
        {
            await process.Cancel.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(matching.Select(p => p.Exited)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return matching.Length;
    }

    private async Task<CliResult> WaitAsync(
        CliRequest request,
        CommandTask<CommandResult> running,
        CancellationTokenSource kill,
        CancellationToken operatorCancel,
        StringBuilder stdout,
        StringBuilder stderr,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var display = request.Display;
        logger.LogInformation("Running {Command} (pid {Pid}, timeout {Timeout})", display, running.ProcessId, request.Timeout);
        var timedOut = false;
        using var deadlineTimer = new CancellationTokenSource();
        var deadline = Task.Delay(request.Timeout, deadlineTimer.Token);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shuttingDown.Token, operatorCancel);
        var cancelled = Task.Delay(Timeout.Infinite, stop.Token);
        var first = await Task.WhenAny(running.Task, deadline, cancelled).ConfigureAwait(false);
        // Decided: free the deadline's timer now instead of leaving it armed for the rest of the timeout (10 minutes for helm).
        await deadlineTimer.CancelAsync().ConfigureAwait(false);
        if (first != running.Task)
        {
            timedOut = first == deadline;
            var why = timedOut ? $"ran past {request.Timeout}"
                : cancellationToken.IsCancellationRequested ? "was cancelled"
                : operatorCancel.IsCancellationRequested ? "is cancelled by an operator" : "is stopped for shutdown";
            logger.LogWarning("{Command} {Why}; sending SIGTERM to pid {Pid}", display, why, running.ProcessId);
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
        catch (OperationCanceledException) when (timedOut || stop.IsCancellationRequested)
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
        if (!timedOut && first != running.Task)
        {
            throw operatorCancel.IsCancellationRequested
                ? new OperationCanceledException($"`{display}` was cancelled by an operator.")
                : ShutdownStopped(display);
        }

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

    private sealed record Running(Task Exited, string? Scope, CancellationTokenSource Cancel);

    private static OperationCanceledException ShutdownStopped(string display) =>
        new($"`{display}` was stopped because the control plane is shutting down.");

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
