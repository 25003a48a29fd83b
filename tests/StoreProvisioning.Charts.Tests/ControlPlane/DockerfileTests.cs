using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests.ControlPlane;

/// <summary>
/// The two Dockerfiles, checked without a container engine: what they build from, what they copy (the published
/// function app is produced here with the same `dotnet publish` and inspected), users, ports and checksums.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class DockerfileTests
{
    private static string Root => Helm.RepoRoot;
    private static string[] FunctionsDockerfile => File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
    private static string[] DashboardDockerfile => File.ReadAllLines(Path.Combine(Root, "frontend", "Dockerfile"));

    /// <summary>Dockerfile instructions with line continuations joined and comments dropped.</summary>
    private static List<string> Instructions(string[] lines)
    {
        var result = new List<string>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            result.Add(current + line);
            current = "";
        }
        return result;
    }

    private static string Arg(List<string> instructions, string name) =>
        Regex.Match(string.Join("\n", instructions), $@"^ARG {name}=(\S+)$", RegexOptions.Multiline).Groups[1].Value;

    // Proves the function app image is built from the official images with pinned tags, runs as a non-root user on a
    // port a non-root process may bind, and sets what the Functions host expects.
    [Fact]
    public void Function_app_image_pins_its_bases_and_runs_unprivileged()
    {
        var ins = Instructions(FunctionsDockerfile);
        var froms = ins.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal("FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0", froms[^1]);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", froms);
        Assert.All(froms, f => Assert.DoesNotContain(":latest", f));
        Assert.Contains(FunctionsDockerfile, l => l.Contains("imagetools inspect", StringComparison.Ordinal)); // how to pin the digest

        var runtime = ins.SkipWhile(i => i != froms[^1]).ToList();
        Assert.Equal("USER 10001:10001", runtime.Last(i => i.StartsWith("USER ", StringComparison.Ordinal)));
        var env = string.Join(" ", runtime.Where(i => i.StartsWith("ENV ", StringComparison.Ordinal)));
        foreach (var expected in new[]
                 {
                     "AzureWebJobsScriptRoot=/home/site/wwwroot", "FUNCTIONS_WORKER_RUNTIME=dotnet-isolated",
                     "AzureFunctionsJobHost__Logging__Console__IsEnabled=true", "ASPNETCORE_URLS=http://+:8080",
                     "CHARTS_ROOT=/home/site/charts", "HELM_PATH=/usr/local/bin/helm", "KUBECTL_PATH=/usr/local/bin/kubectl",
                     "SQLITE_PATH=/home/data/stores.db", "HOME=/tmp/home",
                 })
            Assert.Contains(expected, env);
        Assert.Contains("EXPOSE 8080", runtime);

        // The chart runs what the image provides: same port, same user, same paths.
        var objects = ControlPlaneChart.Render(Helm.V4);
        var pod = objects.Single("Deployment", "-functions").PodSpec!;
        Assert.Equal("10001", pod.Str("securityContext", "runAsUser"));
        var settings = objects.Single("ConfigMap", "-settings").Root.Get("data").AsStringMap();
        Assert.Contains($"HELM_PATH={settings["HELM_PATH"]}", env);
        Assert.Contains($"KUBECTL_PATH={settings["KUBECTL_PATH"]}", env);
        Assert.Contains($"CHARTS_ROOT={settings["CHARTS_ROOT"]}", env);
        Assert.Contains($"SQLITE_PATH={settings["SQLITE_PATH"]}", env);
    }

    // Proves helm and kubectl are pinned and verified: the published checksum files are checked, and the binaries
    // against the pinned SHA-256, which equal the official binaries installed here by scripts/install-tools.sh.
    [Fact]
    public void Helm_and_kubectl_are_pinned_and_checksum_verified()
    {
        var ins = Instructions(FunctionsDockerfile);
        var helmVersion = Arg(ins, "HELM_VERSION");
        var kubectlVersion = Arg(ins, "KUBECTL_VERSION");
        var helmSha = Arg(ins, "HELM_SHA256");
        var kubectlSha = Arg(ins, "KUBECTL_SHA256");
        Assert.Matches(@"^v\d+\.\d+\.\d+$", helmVersion);
        Assert.Matches(@"^v\d+\.\d+\.\d+$", kubectlVersion);
        Assert.Matches("^[0-9a-f]{64}$", helmSha);
        Assert.Matches("^[0-9a-f]{64}$", kubectlSha);

        var run = Assert.Single(ins, i => i.Contains("get.helm.sh", StringComparison.Ordinal));
        Assert.Contains("helm-${HELM_VERSION}-linux-amd64.tar.gz.sha256sum", run);
        Assert.Contains("sha256sum --check --strict \"helm-${HELM_VERSION}-linux-amd64.tar.gz.sha256sum\"", run);
        Assert.Contains("echo \"${HELM_SHA256}  linux-amd64/helm\" | sha256sum --check --strict", run);
        Assert.Contains("https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256", run);
        Assert.Contains("echo \"${KUBECTL_SHA256}  kubectl\" | sha256sum --check --strict", run);
        Assert.StartsWith("RUN set -eu;", run);
        Assert.DoesNotMatch(@"\|\s*(ba)?sh\b", run); // nothing downloaded is piped into a shell

        // The pins are the official binaries of those versions (as installed here from the npm-packaged releases).
        var helm4 = Helm.BinaryPath(Helm.V4);
        Assert.StartsWith(helmVersion, Version(helm4, "version", "--short"));
        Assert.Equal(helmSha, Sha256(helm4));
        var kubectl = Path.Combine(Root, ".tools", "kubectl", "kubectl");
        if (File.Exists(kubectl))
        {
            Assert.Contains($"\"gitVersion\": \"{kubectlVersion}\"", Version(kubectl, "version", "--client", "--output", "json"));
            Assert.Equal(kubectlSha, Sha256(kubectl));
        }
    }

    // Proves the published app has what the Functions host needs, at the path the Dockerfile copies to the script
    // root, by running the Dockerfile's own `dotnet publish` command into a temporary folder.
    [Fact]
    public void Published_app_has_what_the_functions_host_needs_where_the_dockerfile_copies_it()
    {
        var ins = Instructions(FunctionsDockerfile);
        var publish = Assert.Single(ins, i => i.Contains("dotnet publish", StringComparison.Ordinal));
        var m = Regex.Match(publish, @"^RUN dotnet publish (\S+) --configuration (\S+) --output (\S+)$");
        Assert.True(m.Success, publish);
        var (project, configuration, output) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
        Assert.Contains($"COPY --from=build {output} /home/site/wwwroot", ins);
        Assert.Contains("WORKDIR /src", ins);

        // The build stage copies exactly what the publish needs.
        Assert.Contains("COPY Directory.Build.props host.json ./", ins);
        Assert.Contains("COPY src/ src/", ins);

        var target = Path.Combine(Path.GetTempPath(), "cp-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = RunProcess("dotnet", Root, TimeSpan.FromMinutes(8), "publish", project, "--configuration", configuration, "--output", target, "--nologo");
            Assert.True(result.ExitCode == 0, "dotnet publish failed:\n" + result.Output);
            foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "StoreProvisioning.Functions.dll", "extensions.json" })
                Assert.True(File.Exists(Path.Combine(target, file)), $"{file} missing from the published app");
            var extensions = Path.Combine(target, ".azurefunctions");
            Assert.True(Directory.Exists(extensions), ".azurefunctions (the host's extension bundle of this app) missing");
            Assert.True(File.Exists(Path.Combine(extensions, "DurableTask.AzureStorage.dll")), "the durable extension is not in .azurefunctions");
            Assert.True(File.Exists(Path.Combine(target, "runtimes", "linux-x64", "native", "libe_sqlite3.so")), "SQLite's native library for linux-x64 is missing");
            Assert.Equal(File.ReadAllText(Path.Combine(Root, "host.json")), File.ReadAllText(Path.Combine(target, "host.json")));
            var worker = File.ReadAllText(Path.Combine(target, "worker.config.json"));
            Assert.Contains("StoreProvisioning.Functions.dll", worker);
            Assert.Contains("\"ProvisionStoreOrchestrator\"", File.ReadAllText(Path.Combine(target, "functions.metadata")));
        }
        finally
        {
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }

    // Proves every COPY source of both Dockerfiles exists and is not excluded by the build context's .dockerignore.
    [Fact]
    public void Copy_sources_exist_in_their_build_contexts()
    {
        AssertCopySources(FunctionsDockerfile, Root);
        AssertCopySources(DashboardDockerfile, Path.Combine(Root, "frontend"));
        // Every store chart is copied (helm/ minus the control plane's own chart).
        Assert.Contains("COPY helm/ /home/site/charts/", Instructions(FunctionsDockerfile));
        Assert.Contains("helm/control-plane/", File.ReadAllLines(Path.Combine(Root, ".dockerignore")));
    }

    private static void AssertCopySources(string[] dockerfile, string context)
    {
        var ignore = File.Exists(Path.Combine(context, ".dockerignore"))
            ? File.ReadAllLines(Path.Combine(context, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Trim().TrimEnd('/')).ToList()
            : [];
        var copies = Instructions(dockerfile).Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) && !i.Contains("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in parts)
            {
                var path = Path.Combine(context, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{copy}: {source} does not exist in {context}");
                var relative = source.TrimEnd('/');
                Assert.False(relative != "." && ignore.Contains(relative), $"{copy}: {source} is excluded by .dockerignore");
            }
        }
    }

    // Proves the dashboard image serves on an unprivileged port as a non-root user, generates its run-time config
    // where nginx reads it, and has the security headers.
    [Fact]
    public void Dashboard_image_is_unprivileged_and_configured_at_run_time()
    {
        var ins = Instructions(DashboardDockerfile);
        var froms = ins.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Matches(@"^FROM node:\d+\.\d+\.\d+-\S+ AS build$", froms[0]);
        Assert.Matches(@"^FROM nginxinc/nginx-unprivileged:\d+\.\d+\.\d+-\S+$", froms[^1]);
        Assert.Equal("USER 101:101", ins.Last(i => i.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Contains("EXPOSE 8080", ins);
        Assert.Contains("COPY docker/write-runtime-config.sh /docker-entrypoint.d/40-write-runtime-config.sh", ins);
        Assert.True((File.GetUnixFileMode(Path.Combine(Root, "frontend", "docker", "write-runtime-config.sh")) & UnixFileMode.UserExecute) != 0,
            "the nginx entrypoint runs only executable scripts in /docker-entrypoint.d");

        var nginx = File.ReadAllText(Path.Combine(Root, "frontend", "docker", "nginx.conf"));
        Assert.Matches(@"listen 8080;", nginx);
        Assert.Contains("pid /tmp/nginx.pid;", nginx);
        Assert.Contains("include /tmp/runtime-config/security-headers.conf;", nginx);
        Assert.Contains("alias /tmp/runtime-config/config.js;", nginx);
        Assert.Contains("server_tokens off;", nginx);
        var script = File.ReadAllText(Path.Combine(Root, "frontend", "docker", "write-runtime-config.sh"));
        Assert.Contains("RUNTIME_CONFIG_DIR:-/tmp/runtime-config", script);
        // The page loads the run-time file before the app.
        var index = File.ReadAllText(Path.Combine(Root, "frontend", "index.html"));
        Assert.True(index.IndexOf("src=\"/config.js\"", StringComparison.Ordinal) is var at && at > 0 && at < index.IndexOf("/src/main.tsx", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Root, "frontend", "public", "config.js")));

        // The chart hands the dashboard the variables the script reads.
        var container = ControlPlaneChart.Render(Helm.V4).Single("Deployment", "-dashboard").Container("dashboard");
        var envNames = container.Get("env").Items().Select(e => e.Str("name")).ToList();
        Assert.Equal(["API_BASE_URL", "POLL_MS", "CSP_CONNECT_SRC_EXTRA"], envNames);
        Assert.All(envNames, n => Assert.Contains(n!, script));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Version(string exe, params string[] args)
    {
        var r = RunProcess(exe, Root, TimeSpan.FromSeconds(30), args);
        Assert.True(r.ExitCode == 0, r.Output);
        return r.Output;
    }

    internal static (int ExitCode, string Output) RunProcess(string exe, string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProcess(exe, workingDirectory, timeout, new Dictionary<string, string?>(), args);

    internal static (int ExitCode, string Output) RunProcess(string exe, string workingDirectory, TimeSpan timeout, IDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeout}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
