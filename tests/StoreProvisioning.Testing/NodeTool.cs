using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StoreProvisioning.Testing;

/// <summary>
/// The helper processes tests start (Azurite, the OIDC mock server, a webhook receiver's port): an npm package found
/// where it is already installed or installed once into .tools/&lt;package&gt;, executables on PATH, free loopback
/// ports, and stopping a process with everything it started.
/// </summary>
public static class NodeTool
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InstallLocks = new(StringComparer.Ordinal);

    /// <summary>An executable on PATH, or null.</summary>
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>
    /// The first of <paramref name="candidates"/> that exists, else <paramref name="file"/> (relative to the package
    /// prefix, e.g. node_modules/.bin/azurite) under .tools/<paramref name="package"/>, installed there with npm once
    /// per package. Null with the reason when neither works.
    /// </summary>
    public static async Task<(string? Path, string? Why)> FindOrInstallAsync(string package, string version, string file, IEnumerable<string?> candidates)
    {
        var prefix = Path.Combine(RepositoryFiles.Root, ".tools", package);
        var installed = Path.Combine(prefix, file);
        if (candidates.Append(installed).FirstOrDefault(File.Exists) is { } found)
        {
            return (found, null);
        }

        var gate = InstallLocks.GetOrAdd(package, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            if (File.Exists(installed))
            {
                return (installed, null);
            }

            if (OnPath("npm") is not { } npm)
            {
                return (null, $"{package} is not installed and npm is not on PATH to install it.");
            }

            Directory.CreateDirectory(prefix);
            using var install = Process.Start(new ProcessStartInfo(npm, ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", $"{package}@{version}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = install.StandardError.ReadToEndAsync();
            await install.StandardOutput.ReadToEndAsync();
            await install.WaitForExitAsync();
            return File.Exists(installed) ? (installed, null) : (null, $"npm install {package}@{version} failed ({install.ExitCode}): {await stderr}");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Kills the process and everything it started, waits for it, and disposes it.</summary>
    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
