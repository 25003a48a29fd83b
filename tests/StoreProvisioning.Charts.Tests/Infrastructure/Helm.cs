using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>Result of one helm invocation.</summary>
public sealed record HelmResult(int ExitCode, string StdOut, string StdErr, string CommandLine)
{
    public string Describe() => $"`{CommandLine}` exited {ExitCode}\n--- stderr ---\n{StdErr}\n--- stdout (first 2000 chars) ---\n{(StdOut.Length > 2000 ? StdOut[..2000] : StdOut)}";
}

/// <summary>Locates the charts and the real helm 3 / helm 4 binaries and runs them.</summary>
public static class Helm
{
    public const string V3 = "3";
    public const string V4 = "4";
    public static readonly string[] Versions = [V3, V4];
    /// <summary>The tenant (store) charts: one Helm release per store.</summary>
    public static readonly string[] Charts = ["woocommerce", "medusa"];

    /// <summary>The platform chart the control plane renders and applies to each store namespace.</summary>
    public const string PlatformChart = "store-namespace";

    /// <summary>The library chart both store charts depend on (vendored into their charts/ folder).</summary>
    public const string LibraryChart = "store-common";

    private static readonly ConcurrentDictionary<string, HelmResult> Cache = new();

    public static string ChartDir(string chart) => Path.Combine(RepositoryFiles.Root, "helm", chart);

    /// <summary>ci/*-values.yaml file names of a chart (discovered, so new files are tested automatically).</summary>
    public static IEnumerable<string> CiValuesFiles(string chart) =>
        Directory.GetFiles(Path.Combine(ChartDir(chart), "ci"), "*-values.yaml")
            .Select(Path.GetFileName)
            .OrderBy(f => f, StringComparer.Ordinal)!;

    public static string CiValuesPath(string chart, string file) => Path.Combine(ChartDir(chart), "ci", file);

    /// <summary>Plan names shipped with the platform chart (plans/*.yaml).</summary>
    public static IEnumerable<string> Plans() =>
        Directory.GetFiles(Path.Combine(ChartDir(PlatformChart), "plans"), "*.yaml")
            .Select(Path.GetFileNameWithoutExtension)
            .OrderBy(f => f, StringComparer.Ordinal)!;

    public static string PlanPath(string plan) => Path.Combine(ChartDir(PlatformChart), "plans", plan + ".yaml");

    /// <summary>
    /// The platform chart as the control plane renders it: `helm template acme helm/store-namespace -n store-acme
    /// -f plans/&lt;plan&gt;.yaml -f ci/&lt;file&gt;` plus extra args; asserts success.
    /// </summary>
    public static HelmResult TemplatePlatform(string version, string ciFile, string plan = "small", params string[] extra)
    {
        var args = new List<string>
        {
            "template", "acme", ChartDir(PlatformChart), "--namespace", "store-acme",
            "-f", PlanPath(plan), "-f", CiValuesPath(PlatformChart, ciFile),
        };
        args.AddRange(extra);
        var r = Run(version, [.. args]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException("helm template failed: " + r.Describe());
        return r;
    }

    public static string FixturePath(string chart) =>
        Path.Combine(AppContext.BaseDirectory, "ContractFixtures", $"control-plane-values.{chart}.yaml");

    public static string BinaryPath(string version)
    {
        var env = Environment.GetEnvironmentVariable(version == V3 ? "HELM3_PATH" : "HELM4_PATH");
        var path = string.IsNullOrWhiteSpace(env)
            ? Path.Combine(RepositoryFiles.Root, ".tools", $"helm{version}", "helm")
            : env;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"helm {version} not found at {path}. Run scripts/install-tools.sh or set HELM{version}_PATH.", path);
        }
        return path;
    }

    /// <summary>Runs helm with an isolated HOME-like environment; results of identical commands are cached.</summary>
    public static HelmResult Run(string version, params string[] args) =>
        Cache.GetOrAdd(version + "\0" + string.Join('\0', args), _ => RunUncached(version, args));

    public static HelmResult RunUncached(string version, params string[] args)
    {
        var exe = BinaryPath(version);
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryFiles.Root,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var scratch = Path.Combine(Path.GetTempPath(), "charts-tests-helm" + version);
        psi.Environment["HELM_CACHE_HOME"] = Path.Combine(scratch, "cache");
        psi.Environment["HELM_CONFIG_HOME"] = Path.Combine(scratch, "config");
        psi.Environment["HELM_DATA_HOME"] = Path.Combine(scratch, "data");
        // No cluster: make sure nothing talks to a real one by accident.
        psi.Environment["KUBECONFIG"] = Path.Combine(scratch, "no-kubeconfig");

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"helm {version} {string.Join(' ', args)} did not finish in 60s");
        }
        p.WaitForExit();
        var cmd = new StringBuilder($"helm{version}");
        foreach (var a in args) cmd.Append(' ').Append(a.Contains(' ') ? $"\"{a}\"" : a);
        return new HelmResult(p.ExitCode, stdout.Result, stderr.Result, cmd.ToString());
    }

    /// <summary>helm template &lt;store&gt; helm/&lt;chart&gt; -n store-&lt;store&gt; with the given extra args; asserts success.</summary>
    public static HelmResult Template(string version, string chart, params string[] extra)
    {
        var args = new List<string> { "template", "acme", ChartDir(chart), "--namespace", "store-acme" };
        args.AddRange(extra);
        var r = Run(version, [.. args]);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException("helm template failed: " + r.Describe());
        return r;
    }

    public static HelmResult TemplateCi(string version, string chart, string ciFile, params string[] extra) =>
        Template(version, chart, ["-f", CiValuesPath(chart, ciFile), .. extra]);
}
