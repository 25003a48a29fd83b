using System.Diagnostics;

using System.Text.Json;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect issuer for the OIDC tests: npm "oauth2-mock-server" run by Infrastructure/mock-oidc.mjs.
/// Found in .tools/oauth2-mock-server or node_modules; when missing it is installed once into .tools/ with npm, as
/// the Azurite tests do.
/// </summary>
public sealed class MockOidcServer : IAsyncDisposable
{
    public const string Version = "9.3.0";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly Process process;
    private readonly HttpClient control;

    private MockOidcServer(Process process, string issuer, Uri controlAddress)
    {
        this.process = process;
        Issuer = issuer;
        control = new HttpClient { BaseAddress = controlAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The issuer URL (AUTH_AUTHORITY): its discovery document and keys are served under it.</summary>
    public string Issuer { get; }

    public static async Task<(MockOidcServer? Server, string? Why)> StartAsync()
    {
        var (module, why) = await FindOrInstallAsync();
        if (module is null)
        {
            return (null, why);
        }

        var node = Executable("node");
        if (node is null)
        {
            return (null, "node is not on PATH.");
        }

        var script = Path.Combine(RepositoryFiles.Root, "tests", "StoreProvisioning.Api.Tests", "Infrastructure", "mock-oidc.mjs");
        var process = Process.Start(new ProcessStartInfo(node, [script, module])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first is null)
        {
            return (null, "mock-oidc.mjs exited: " + await stderr);
        }

        using var started = JsonDocument.Parse(first);
        var issuer = started.RootElement.GetProperty("issuer").GetString()!;
        var controlAddress = new Uri(started.RootElement.GetProperty("control").GetString()!);
        return (new MockOidcServer(process, issuer, controlAddress), null);
    }

    /// <summary>
    /// A token signed by this issuer's key: the mock's defaults (iss = <see cref="Issuer"/>, its own aud, sub, iat,
    /// exp) overridden by <paramref name="claims"/>; expired when <paramref name="expiresInSeconds"/> is negative;
    /// with a broken signature when <paramref name="tamper"/>.
    /// </summary>
    public async Task<string> TokenAsync(object claims, int expiresInSeconds = 3600, bool tamper = false)
    {
        var query = $"/token?claims={Uri.EscapeDataString(JsonSerializer.Serialize(claims))}&expiresIn={expiresInSeconds}" + (tamper ? "&tamper=1" : string.Empty);
        using var response = await control.GetAsync(query);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"mock OIDC token: {(int)response.StatusCode} {text}");
    }

    public async ValueTask DisposeAsync()
    {
        control.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static async Task<(string? Module, string? Why)> FindOrInstallAsync()
    {
        const string relative = "node_modules/oauth2-mock-server/dist/index.mjs";
        var prefix = Path.Combine(RepositoryFiles.Root, ".tools", "oauth2-mock-server");
        var installed = Path.Combine(prefix, relative);
        var candidates = new[]
        {
            installed,
            Path.Combine(RepositoryFiles.Root, relative),
            Path.Combine(RepositoryFiles.Root, "frontend", relative),
        };
        if (candidates.FirstOrDefault(File.Exists) is { } found)
        {
            return (found, null);
        }

        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(installed))
            {
                return (installed, null);
            }

            var npm = Executable("npm");
            if (npm is null)
            {
                return (null, "oauth2-mock-server is not installed and npm is not on PATH to install it.");
            }

            Directory.CreateDirectory(prefix);
            var install = Process.Start(new ProcessStartInfo(npm, ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", $"oauth2-mock-server@{Version}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = install.StandardError.ReadToEndAsync();
            await install.StandardOutput.ReadToEndAsync();
            await install.WaitForExitAsync();
            return File.Exists(installed) ? (installed, null) : (null, $"npm install oauth2-mock-server@{Version} failed ({install.ExitCode}): {await stderr}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? Executable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
