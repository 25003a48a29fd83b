using System.Text.Json;

namespace StoreProvisioning.Functions.Tests.Infrastructure;

/// <summary>One call of the fake helm/kubectl, from calls.jsonl.</summary>
public sealed record CliCall(string Tool, int Pid, IReadOnlyList<string> Argv, double Start, double? End, int? Exit)
{
    public string Command => string.Join(' ', Argv);
}

/// <summary>
/// The fake helm/kubectl (tests/fakes) for one test: a private state folder and wrapper scripts that bake the fakes'
/// environment in (`exec env … fake "$@"`, same pid), so parallel tests never share process-wide environment variables.
/// </summary>
public sealed class FakeCluster
{
    private readonly Dictionary<string, string> helmEnv = new();
    private readonly Dictionary<string, string> kubectlEnv = new();

    public FakeCluster(string root)
    {
        Root = root;
        State = Path.Combine(root, "fake-state");
        Directory.CreateDirectory(State);
        HelmPath = Path.Combine(root, "bin", "helm");
        KubectlPath = Path.Combine(root, "bin", "kubectl");
        Directory.CreateDirectory(Path.GetDirectoryName(HelmPath)!);
        WriteWrappers();
    }

    public static string FakesFolder { get; } = FindFakes();

    public static string ChartsRoot { get; } = Path.GetFullPath(Path.Combine(FakesFolder, "..", "..", "helm"));

    public string Root { get; }

    public string State { get; }

    public string HelmPath { get; }

    public string KubectlPath { get; }

    /// <summary>Sets (or with null clears) an environment variable of the fake helm, e.g. FAKE_HELM_MODE.</summary>
    public FakeCluster Helm(string name, string? value) => Set(helmEnv, name, value);

    /// <summary>Sets (or with null clears) an environment variable of the fake kubectl, e.g. FAKE_KUBECTL_DELETE_MODE.</summary>
    public FakeCluster Kubectl(string name, string? value) => Set(kubectlEnv, name, value);

    /// <summary>Steers helm for one release: lines `[once:][command:]mode` (see tests/fakes/README.md).</summary>
    public void Behaviour(string release, params string[] lines)
    {
        Directory.CreateDirectory(Path.Combine(State, "behaviour"));
        File.WriteAllLines(Path.Combine(State, "behaviour", release), lines);
    }

    public IReadOnlyList<CliCall> Calls()
    {
        var path = Path.Combine(State, "calls.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        var starts = new Dictionary<int, CliCall>();
        var order = new List<int>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var pid = root.GetProperty("pid").GetInt32();
            var time = root.GetProperty("time").GetDouble();
            if (root.GetProperty("event").GetString() == "start")
            {
                starts[pid] = new CliCall(
                    root.GetProperty("tool").GetString()!, pid,
                    root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList(), time, null, null);
                order.Add(pid);
            }
            else if (starts.TryGetValue(pid, out var started))
            {
                starts[pid] = started with { End = time, Exit = root.TryGetProperty("exit", out var e) ? e.GetInt32() : null };
            }
        }

        return order.Select(p => starts[p]).ToList();
    }

    public string RawCalls() => File.Exists(Path.Combine(State, "calls.jsonl")) ? File.ReadAllText(Path.Combine(State, "calls.jsonl")) : string.Empty;

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

    private FakeCluster Set(Dictionary<string, string> env, string name, string? value)
    {
        lock (env)
        {
            if (value is null)
            {
                env.Remove(name);
            }
            else
            {
                env[name] = value;
            }

            WriteWrappers();
        }

        return this;
    }

    private void WriteWrappers()
    {
        Write(HelmPath, Path.Combine(FakesFolder, "helm"), helmEnv);
        Write(KubectlPath, Path.Combine(FakesFolder, "kubectl"), kubectlEnv);
    }

    private void Write(string path, string target, Dictionary<string, string> env)
    {
        var assignments = string.Join(' ', new Dictionary<string, string>(env) { ["FAKE_CLI_STATE"] = State }.Select(kv => $"{kv.Key}='{kv.Value}'"));
        var temp = path + ".tmp";
        File.WriteAllText(temp, $"#!/bin/sh\nexec env {assignments} '{target}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static string FindFakes()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fakes");
            if (File.Exists(Path.Combine(candidate, "helm")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/fakes/helm not found above " + AppContext.BaseDirectory);
    }
}
