namespace StoreProvisioning.Cluster;

/// <summary>One CLI invocation: an executable and its argument list (never a shell string).</summary>
/// <param name="Executable">Path or bare name of the program (looked up on PATH).</param>
/// <param name="Arguments">Arguments passed as a list; nothing is interpreted by a shell.</param>
/// <param name="Timeout">After this the process gets SIGTERM, then is killed after the runner's grace period.</param>
/// <param name="StandardInput">Optional text piped to stdin (e.g. a manifest for kubectl apply -f -).</param>
/// <param name="Secrets">Values that must never leave the process: redacted from captured output and error messages.</param>
/// <param name="Scope">The store namespace the command works on, so an operator's cancel can stop it (<see cref="CliRunner.CancelScopeAsync"/>).</param>
/// <param name="IsAnswer">
/// Which non-zero exits answer the question instead of failing (helm's "release: not found" when asked about a release
/// not installed yet): their span is not an error, so a trace shows only what went wrong.
/// </param>
public sealed record CliRequest(
    string Executable,
    IReadOnlyList<string> Arguments,
    TimeSpan Timeout,
    string? StandardInput = null,
    IReadOnlyCollection<string>? Secrets = null,
    string? Scope = null,
    Func<CliResult, bool>? IsAnswer = null)
{
    /// <summary>How the command reads in messages: program name and arguments (arguments never hold secrets).</summary>
    public string Display => string.Join(' ', [Path.GetFileName(Executable), .. Arguments]);
}

/// <summary>What a finished process left behind.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
}
