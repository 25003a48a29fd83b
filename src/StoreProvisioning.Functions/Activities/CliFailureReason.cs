using System.Text.RegularExpressions;
using StoreProvisioning.Cluster;

namespace StoreProvisioning.Functions.Activities;

/// <summary>Turns a CLI failure into a short reason a person can act on (the full message goes to the audit row).</summary>
public static partial class CliFailureReason
{
    public static string For(CliCommandException ex)
    {
        var tool = ex.Command.Split(' ', 2)[0];
        switch (ex.Failure)
        {
            case CliFailure.TimedOut:
                var after = TimedOutAfter().Match(ex.Message);
                return $"{tool} timed out after {(after.Success ? after.Groups[1].Value : "its timeout")} and was stopped";
            case CliFailure.NotStartable:
                return $"could not start {tool} ({ex.InnerException?.Message ?? "not found"}); is it installed, and is {tool.ToUpperInvariant()}_PATH right?";
            case CliFailure.UnreadableOutput:
                return $"{tool} printed output that could not be read: {CliCommandException.Tail(ex.Result?.StandardOutput ?? string.Empty, 120)}";
            default:
                var output = ex.Result is null ? string.Empty : ex.Result.StandardError.Length > 0 ? ex.Result.StandardError : ex.Result.StandardOutput;
                var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.Length > 0);
                return line is null
                    ? $"{tool} exited with code {ex.Result?.ExitCode}"
                    : $"{tool} exited with code {ex.Result?.ExitCode}: {CliCommandException.Tail(line, 300)}";
        }
    }

    [GeneratedRegex(@"timed out after (\S+?)(?: and|\.|$)")]
    private static partial Regex TimedOutAfter();
}
