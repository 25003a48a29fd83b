using System.Text.Json;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>One line of the fake CLIs' calls.jsonl.</summary>
public sealed record CliCall(string Tool, string Event, string[] Argv, int Pid, double Time, int? Exit);

/// <summary>Reads and steers the fake helm/kubectl of one test server (see tests/fakes/README.md).</summary>
public static class FakeCli
{
    public static IReadOnlyList<CliCall> Calls(this TestServerProcess server)
    {
        if (!File.Exists(server.CallsFile))
        {
            return [];
        }

        var calls = new List<CliCall>();
        foreach (var line in File.ReadAllLines(server.CallsFile))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            calls.Add(new CliCall(
                root.GetProperty("tool").GetString()!,
                root.GetProperty("event").GetString()!,
                root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("time").GetDouble(),
                root.TryGetProperty("exit", out var exit) && exit.ValueKind == JsonValueKind.Number ? exit.GetInt32() : null));
        }

        return calls;
    }

    /// <summary>The raw bytes of calls.jsonl (empty when no CLI ran yet), to prove nothing was appended.</summary>
    public static byte[] CallsSnapshot(this TestServerProcess server) =>
        File.Exists(server.CallsFile) ? File.ReadAllBytes(server.CallsFile) : [];

    /// <summary>
    /// Fake CLI processes that started and have not ended (no "end" line) and are still alive as a fake CLI of this
    /// server's state folder — checked through /proc so no unrelated process is ever touched.
    /// </summary>
    public static IReadOnlyList<int> RunningCliPids(this TestServerProcess server)
    {
        var calls = server.Calls();
        var ended = calls.Where(c => c.Event == "end").Select(c => c.Pid).ToHashSet();
        var fakes = Path.Combine(Repository.Root, "tests", "fakes");
        return calls.Where(c => c.Event == "start" && !ended.Contains(c.Pid)).Select(c => c.Pid).Distinct()
            .Where(pid =>
            {
                try
                {
                    var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
                    var environment = File.ReadAllText($"/proc/{pid}/environ");
                    return commandLine.Contains(fakes, StringComparison.Ordinal) && environment.Contains("FAKE_CLI_STATE=" + server.StateDirectory, StringComparison.Ordinal);
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

    /// <summary>Writes behaviour/&lt;release&gt; lines such as "once:upgrade:fail".</summary>
    public static void SetBehaviour(this TestServerProcess server, string release, params string[] lines)
    {
        var folder = Path.Combine(server.StateDirectory, "behaviour");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, release), lines);
    }
}
