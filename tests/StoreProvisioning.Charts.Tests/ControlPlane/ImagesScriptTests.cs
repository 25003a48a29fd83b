using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests.ControlPlane;

/// <summary>scripts/images.sh against a scripted fake engine (no container engine runs here) and against none.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImagesScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("images-sh-").FullName;
    private static string Script => Path.Combine(Helm.RepoRoot, "scripts", "images.sh");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A bin folder with only the basic tools the script uses (no docker, no podman).</summary>
    private string BinWithout()
    {
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "bash", "sed", "dirname", "cat" })
        {
            var real = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).First(File.Exists);
            File.CreateSymbolicLink(Path.Combine(bin, tool), real);
        }
        return bin;
    }

    private (int ExitCode, string Output) Run(string path, params string[] args) =>
        DockerfileTests.RunProcess("/bin/bash", Helm.RepoRoot, TimeSpan.FromSeconds(30),
            new Dictionary<string, string?> { ["PATH"] = path, ["CONTAINER_ENGINE"] = null, ["IMAGE_PREFIX"] = null, ["IMAGE_TAG"] = null },
            [Script, .. args]);

    // Proves that without docker or podman the script says so, with a hint, and fails.
    [Fact]
    public void Without_an_engine_it_fails_with_a_hint()
    {
        var (code, output) = Run(BinWithout());
        Assert.Equal(3, code);
        Assert.Contains("no container engine found", output);
        Assert.Contains("podman", output);
        Assert.Contains("Nothing was built", output);
    }

    // Proves an installed engine whose daemon does not answer is reported as such.
    [Fact]
    public void An_engine_that_does_not_answer_is_reported()
    {
        var bin = BinWithout();
        FakeEngine(bin, "docker", infoExit: 1);
        var (code, output) = Run(bin);
        Assert.Equal(3, code);
        Assert.Contains("'docker' is installed but does not answer", output);
        Assert.Equal(["docker info"], File.ReadAllLines(Path.Combine(_dir, "calls"))); // asked, nothing built
    }

    // Proves both images are built from their own Dockerfile and context, tagged with the chart's appVersion (what the
    // chart deploys by default), with podman when docker is absent.
    [Fact]
    public void Builds_both_images_with_the_engine_found()
    {
        var bin = BinWithout();
        FakeEngine(bin, "podman", infoExit: 0);
        var (code, output) = Run(bin);
        Assert.True(code == 0, output);
        var appVersion = File.ReadAllLines(Path.Combine(ControlPlaneChart.Dir, "Chart.yaml")).Single(l => l.StartsWith("appVersion:", StringComparison.Ordinal)).Split(':', 2)[1].Trim().Trim('"');
        var calls = File.ReadAllLines(Path.Combine(_dir, "calls"));
        Assert.Equal(
        [
            "podman info",
            $"podman build --file Dockerfile --tag store-provisioning/control-plane:{appVersion} .",
            $"podman build --file frontend/Dockerfile --tag store-provisioning/dashboard:{appVersion} frontend",
        ], calls);
        var values = ControlPlaneChart.Render(Helm.V4);
        Assert.Equal($"store-provisioning/control-plane:{appVersion}", values.Single("Deployment", "-functions").Container("functions").Str("image"));
        Assert.Equal($"store-provisioning/dashboard:{appVersion}", values.Single("Deployment", "-dashboard").Container("dashboard").Str("image"));
    }

    private void FakeEngine(string bin, string name, int infoExit)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, $$"""
            #!/bin/bash
            [[ "$1" == info ]] && { echo "{{name}} info" >> "{{_dir}}/calls"; exit {{infoExit}}; }
            echo "{{name}} $*" >> "{{_dir}}/calls"
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
