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
        const string relative = "node_modules/oauth2-mock-server/dist/index.mjs";
        var (module, why) = await NodeTool.FindOrInstallAsync(
            "oauth2-mock-server", Version, relative, [Path.Combine(RepositoryFiles.Root, relative), Path.Combine(RepositoryFiles.Root, "frontend", relative)]);
        if (module is null)
        {
            return (null, why);
        }

        var node = NodeTool.OnPath("node");
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
        await NodeTool.StopAsync(process);
    }
}
