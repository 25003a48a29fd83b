using System.Diagnostics;
using StoreProvisioning.Cluster;

namespace StoreProvisioning.Observability;

/// <summary>
/// The span of one helm or kubectl run (<see cref="CliRunner.RunAsync"/>): named "{tool} {subcommand}" (e.g.
/// "helm upgrade"), with the command line exactly as the runner's log lines show it (secrets redacted the same way),
/// the exit code, and status error when the command did not exit 0 (unless that exit is an answer, see
/// <see cref="CliRequest.IsAnswer"/>) or could not run to completion.
/// </summary>
public static class CliSpan
{
    public const string ToolAttribute = "process.executable.name";
    public const string CommandLineAttribute = "process.command_line";
    public const string ExitCodeAttribute = "process.exit.code";

    /// <summary>"helm upgrade", "kubectl get": the program and its first argument (the subcommand).</summary>
    public static string NameFor(CliRequest request)
    {
        var tool = Path.GetFileName(request.Executable);
        return request.Arguments.Count > 0 && !request.Arguments[0].StartsWith('-') ? $"{tool} {request.Arguments[0]}" : tool;
    }

    /// <param name="commandLine">The redacted command line the runner logs.</param>
    public static Activity? Start(CliRequest request, string commandLine)
    {
        var span = Tracing.Source.StartActivity(NameFor(request), ActivityKind.Client);
        span?.SetTag(ToolAttribute, Path.GetFileName(request.Executable));
        span?.SetTag(CommandLineAttribute, commandLine);
        return span;
    }

    /// <param name="answered">The non-zero exit answers the question (e.g. no such release): not an error.</param>
    public static void Exited(Activity? span, int exitCode, bool answered = false)
    {
        span?.SetTag(ExitCodeAttribute, exitCode);
        if (exitCode != 0 && !answered)
        {
            Tracing.Fail(span, $"exited with code {exitCode}");
        }
    }

    /// <summary>Timed out, cancelled, or could not start: the exit code when there is one, and the kind of failure (its message may quote stderr).</summary>
    public static void Failed(Activity? span, Exception exception)
    {
        if (exception is CliCommandException { Result: { } result })
        {
            span?.SetTag(ExitCodeAttribute, result.ExitCode);
        }

        Tracing.Fail(span, exception is CliCommandException cli ? cli.Failure.ToString() : exception.GetType().Name);
    }
}
