namespace StoreProvisioning.Cluster;

/// <summary>
/// How a scripted stand-in CLI (tests/fakes) says what it is: its build commit starts with "FAKE" (real helm and kubectl
/// report a git SHA there). Health passes the note on, so a demo on simulated helm is never mistaken for a cluster.
/// </summary>
public static class SimulatedCli
{
    public const string Marker = "FAKE";

    public static bool IsSimulated(string? commit) => commit?.TrimStart().StartsWith(Marker, StringComparison.Ordinal) == true;

    /// <summary>"v3.17.3", or "v3.17.3 (FAKE: tests/fakes - simulated, no cluster)" for a fake.</summary>
    public static string Describe(string version, string? commit) =>
        IsSimulated(commit) ? $"{version} ({commit!.Trim()})" : version;
}
