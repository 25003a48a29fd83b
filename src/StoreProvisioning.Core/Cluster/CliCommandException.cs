namespace StoreProvisioning.Cluster;

/// <summary>Why a CLI call went wrong.</summary>
public enum CliFailure
{
    /// <summary>The process exited with a non-zero code.</summary>
    ExitCode,

    /// <summary>The process ran past its timeout and was stopped.</summary>
    TimedOut,

    /// <summary>The executable could not be started (missing, not executable).</summary>
    NotStartable,

    /// <summary>The process succeeded but printed something that could not be understood.</summary>
    UnreadableOutput,
}

/// <summary>A CLI call that failed; the message names the command and the tail of its stderr.</summary>
public sealed class CliCommandException : Exception
{
    public CliCommandException(CliFailure failure, string command, string message, CliResult? result = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Command = command;
        Result = result;
    }

    public CliFailure Failure { get; }

    public string Command { get; }

    public CliResult? Result { get; }

    /// <summary>The last few lines of a long text, for error messages people read.</summary>
    public static string Tail(string text, int maxChars = 600)
    {
        text = text.Trim();
        return text.Length <= maxChars ? text : "…" + text[^maxChars..];
    }
}
