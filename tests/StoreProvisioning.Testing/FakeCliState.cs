using System.Text.Json;

namespace StoreProvisioning.Testing;

/// <summary>One run of the fake helm/kubectl: its "start" line of calls.jsonl paired with its "end" line (if any yet).</summary>
public sealed record CliCall(string Tool, int Pid, string[] Argv, double Start, double? End, int? Exit)
{
    /// <summary>The TEST_SERVER_INSTANCE of the server that ran it, when several servers share one state folder.</summary>
    public string? Caller { get; init; }

    public string Command => string.Join(' ', Argv);
}

/// <summary>
/// The state folder (FAKE_CLI_STATE) of the scripted fake helm/kubectl in tests/fakes: reads what they were asked
/// (calls.jsonl) and what they hold (releases, values), and steers them (behaviour files). See tests/fakes/README.md.
/// </summary>
public class FakeCliState(string folder)
{
    public string State { get; } = folder;

    public string CallsFile => Path.Combine(State, "calls.jsonl");

    /// <summary>Every run in the order it started; a pid the OS reuses later starts a new call.</summary>
    public IReadOnlyList<CliCall> Calls()
    {
        if (!File.Exists(CallsFile))
        {
            return [];
        }

        var calls = new List<CliCall>();
        var running = new Dictionary<int, int>(); // pid → index in calls of its run that has no end yet
        foreach (var line in File.ReadAllLines(CallsFile).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var pid = root.GetProperty("pid").GetInt32();
            var time = root.GetProperty("time").GetDouble();
            if (root.GetProperty("event").GetString() == "start")
            {
                running[pid] = calls.Count;
                calls.Add(new CliCall(
                    root.GetProperty("tool").GetString()!, pid,
                    root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray(), time, null, null)
                {
                    Caller = root.TryGetProperty("caller", out var caller) ? caller.GetString() : null,
                });
            }
            else if (running.Remove(pid, out var index))
            {
                var exit = root.TryGetProperty("exit", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : (int?)null;
                calls[index] = calls[index] with { End = time, Exit = exit };
            }
        }

        return calls;
    }

    public string RawCalls() => File.Exists(CallsFile) ? File.ReadAllText(CallsFile) : string.Empty;

    /// <summary>The raw bytes of calls.jsonl (empty when no CLI ran yet), to prove nothing was appended.</summary>
    public byte[] CallsSnapshot() => File.Exists(CallsFile) ? File.ReadAllBytes(CallsFile) : [];

    /// <summary>Steers helm for one release: lines `[once:][command:]mode` such as "once:upgrade:fail".</summary>
    public void SetBehaviour(string release, params string[] lines)
    {
        var folder = Path.Combine(State, "behaviour");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, release), lines);
    }

    public JsonDocument? Release(string ns, string release)
    {
        var path = Path.Combine(State, "releases", ns, release + ".json");
        return File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)) : null;
    }

    public string? ValuesOf(string release, int index = 0)
    {
        var path = Path.Combine(State, "values", index == 0 ? release + ".json" : $"{release}-{index}.json");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>
    /// Fake CLI processes that started and have not ended (no "end" line) and are still alive as a fake CLI of this
    /// state folder — checked through /proc so no unrelated process is ever touched. With <paramref name="environmentEntry"/>
    /// ("NAME=value"), only those whose environment holds it (the runs of one of several servers sharing this state).
    /// </summary>
    public IReadOnlyList<int> RunningPids(string? environmentEntry = null) =>
        Calls().Where(c => c.End is null).Select(c => c.Pid).Distinct()
            .Where(pid =>
            {
                try
                {
                    var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
                    var environment = File.ReadAllText($"/proc/{pid}/environ");
                    return commandLine.Contains(RepositoryFiles.FakesFolder, StringComparison.Ordinal)
                        && environment.Contains("FAKE_CLI_STATE=" + State, StringComparison.Ordinal)
                        && (environmentEntry is null || environment.Split('\0').Contains(environmentEntry, StringComparer.Ordinal));
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .ToList();
}
