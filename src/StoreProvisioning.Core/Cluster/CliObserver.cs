using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StoreProvisioning.Cluster;

/// <summary>
/// Told of every helm/kubectl process <see cref="CliRunner"/> runs, once it has ended: which tool, which subcommand
/// (never the argument list), how it ended and how long it took. Implemented by the Functions app with Prometheus.
/// </summary>
public interface ICliObserver
{
    void Exited(CliExecution execution);
}

/// <summary>One finished CLI run. <see cref="Exit"/> is the exit code, or "timeout", "missing" (could not start) or "cancelled".</summary>
public sealed record CliExecution(string Tool, string Command, string Exit, TimeSpan Duration);

/// <summary>Wraps one run of <see cref="CliRunner"/> and reports it to its observer, whatever the outcome.</summary>
public static partial class CliObservation
{
    public static readonly ICliObserver None = new NoObserver();

    public static async Task<CliResult> ObserveAsync(ICliObserver observer, CliRequest request, Func<Task<CliResult>> run)
    {
        var clock = Stopwatch.StartNew();
        var exit = "cancelled";
        try
        {
            var result = await run().ConfigureAwait(false);
            exit = result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return result;
        }
        catch (CliCommandException ex)
        {
            exit = ex.Failure switch
            {
                CliFailure.TimedOut => "timeout",
                CliFailure.NotStartable => "missing",
                _ => ex.Result?.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "error",
            };
            throw;
        }
        finally
        {
            observer.Exited(new CliExecution(ToolOf(request.Executable), CommandOf(request.Arguments), exit, clock.Elapsed));
        }
    }

    /// <summary>The program's file name ("helm", "kubectl"); anything that is not a plain short name is "other".</summary>
    public static string ToolOf(string executable)
    {
        var name = Path.GetFileNameWithoutExtension(executable).ToLowerInvariant();
        return PlainWord().IsMatch(name) ? name : "other";
    }

    /// <summary>The subcommand: the first argument when it is a plain word ("upgrade", "get"); never anything else of argv.</summary>
    public static string CommandOf(IReadOnlyList<string> arguments) =>
        arguments.Count > 0 && PlainWord().IsMatch(arguments[0]) ? arguments[0] : "other";

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex PlainWord();

    private sealed class NoObserver : ICliObserver
    {
        public void Exited(CliExecution execution)
        {
        }
    }
}
