namespace StoreProvisioning.Functions.Tests.Infrastructure;

/// <summary>
/// The fake helm/kubectl (tests/fakes) for one test: a private state folder and wrapper scripts that bake the fakes'
/// environment in (`exec env … fake "$@"`, same pid), so parallel tests never share process-wide environment variables.
/// </summary>
public sealed class FakeCluster : FakeCliState
{
    private readonly Dictionary<string, string> helmEnv = new();
    private readonly Dictionary<string, string> kubectlEnv = new();

    public FakeCluster(string root)
        : base(Path.Combine(root, "fake-state"))
    {
        Root = root;
        Directory.CreateDirectory(State);
        HelmPath = Path.Combine(root, "bin", "helm");
        KubectlPath = Path.Combine(root, "bin", "kubectl");
        Directory.CreateDirectory(Path.GetDirectoryName(HelmPath)!);
        WriteWrappers();
    }

    public string Root { get; }

    public string HelmPath { get; }

    public string KubectlPath { get; }

    /// <summary>Sets (or with null clears) an environment variable of the fake helm, e.g. FAKE_HELM_MODE.</summary>
    public FakeCluster Helm(string name, string? value) => Set(helmEnv, name, value);

    /// <summary>Sets (or with null clears) an environment variable of the fake kubectl, e.g. FAKE_KUBECTL_DELETE_MODE.</summary>
    public FakeCluster Kubectl(string name, string? value) => Set(kubectlEnv, name, value);

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
        Write(HelmPath, Path.Combine(RepositoryFiles.FakesFolder, "helm"), helmEnv);
        Write(KubectlPath, Path.Combine(RepositoryFiles.FakesFolder, "kubectl"), kubectlEnv);
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
}
