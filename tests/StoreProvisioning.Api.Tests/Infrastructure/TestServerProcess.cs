using System.Diagnostics;
using System.Net;
using System.Text;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>
/// One running test server: `dotnet StoreProvisioning.TestServer.dll --urls http://127.0.0.1:{port}` with its own
/// temp folder holding the SQLite file and the fake CLIs' state, HELM_PATH/KUBECTL_PATH pointing at tests/fakes.
/// It can be killed with SIGKILL and started again on the same folder (crash tests).
/// </summary>
public sealed class TestServerProcess : IAsyncDisposable
{
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static bool built;

    private readonly Dictionary<string, string> environment;
    private readonly StringBuilder log = new();
    private Process? process;

    private TestServerProcess(string root, Dictionary<string, string> environment)
    {
        Root = root;
        this.environment = environment;
    }

    /// <summary>The server's temp folder: stores.db, fake-cli/ (calls.jsonl, behaviour/, releases/), server.log.</summary>
    public string Root { get; }

    /// <summary>The fake CLIs' state: fake-cli/ in <see cref="Root"/>, or the FAKE_CLI_STATE the settings give (one "cluster" shared by several servers).</summary>
    public string StateDirectory => environment["FAKE_CLI_STATE"];

    public string DatabasePath => Path.Combine(Root, "stores.db");

    /// <summary>Reads and steers the fake helm/kubectl of this server (calls.jsonl, behaviour/, releases/).</summary>
    public FakeCliState FakeCli => new(StateDirectory);

    /// <summary>A client signed in with <see cref="AdminKey"/> (admin: sees everything, may create for any user).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The server's BOOTSTRAP_ADMIN_KEY (random per server unless the settings give one).</summary>
    public string AdminKey => environment["BOOTSTRAP_ADMIN_KEY"];

    /// <summary>This server's TEST_SERVER_INSTANCE: the <see cref="CliCall.Caller"/> of the fake CLI runs it starts.</summary>
    public string Instance => environment["TEST_SERVER_INSTANCE"];

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<TestServerProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "api-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var environment = new Dictionary<string, string>
        {
            ["HELM_PATH"] = Path.Combine(RepositoryFiles.FakesFolder, "helm"),
            ["KUBECTL_PATH"] = Path.Combine(RepositoryFiles.FakesFolder, "kubectl"),
            ["FAKE_CLI_STATE"] = Path.Combine(root, "fake-cli"),
            ["SQLITE_PATH"] = Path.Combine(root, "stores.db"),
            ["CHARTS_ROOT"] = Path.Combine(RepositoryFiles.Root, "helm"),
            ["PROVISION_CONCURRENCY"] = "2",
            ["MAX_STORES_PER_USER"] = "3",
            ["HELM_TIMEOUT"] = "60s",
            ["RECONCILE_INTERVAL"] = "30s",
            ["FAKE_HELM_DELAY_SECONDS"] = "0",
            ["DOTNET_NOLOGO"] = "1",
            ["Logging__Console__FormatterName"] = "simple",
            ["BOOTSTRAP_ADMIN_KEY"] = "test-admin-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
            // Inherited by the fake CLIs this server starts, so a crash kills only its own even when servers share a cluster.
            ["TEST_SERVER_INSTANCE"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var server = new TestServerProcess(root, environment);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same folder and waits until GET /api/health answers.</summary>
    public async Task StartProcessAsync() => await StartProcessAsync(attempt: 1);

    // A free port found here can be taken by another process (a parallel test server, the durable engine's own gRPC
    // listener) before the server binds it; then the server exits with "address already in use" and we pick another.
    private async Task StartProcessAsync(int attempt)
    {
        var dll = await BuiltServerAsync();
        var port = NodeTool.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Variables of the test run that would steer the server differently are not inherited.
        foreach (var name in new[]
                 {
                     "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "FAKE_HELM_MODE", "DURABLE_BACKEND",
                     "AUTH_MODE", "ALLOW_ANONYMOUS", "AUTH_AUTHORITY", "AUTH_AUDIENCE", "AUTH_CLIENT_ID", "AUTH_SCOPES", "AUTH_USER_CLAIM", "AUTH_ROLE_CLAIM",
                     "RATE_LIMIT_WRITES_PER_MINUTE", "MAX_STORES_TOTAL",
                 })
        {
            if (!environment.ContainsKey(name))
            {
                start.Environment.Remove(name);
            }
        }

        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Client?.Dispose();
        Client = CreateClient(AdminKey);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                if (attempt < 3 && Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    await StartProcessAsync(attempt + 1);
                    return;
                }

                throw new InvalidOperationException($"The test server exited with {process.ExitCode} before it answered. Log:\n{Log}");
            }

            try
            {
                // Any answer means the server is up; 503 is what it says when its database is unusable.
                using var response = await Client.GetAsync("/api/health");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The test server did not answer GET /api/health within 60 s. Log:\n{Log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A client of this server sending "Authorization: Bearer {bearer}", or no credential when null.</summary>
    public HttpClient CreateClient(string? bearer)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Changes a setting for the next <see cref="StartProcessAsync"/> (e.g. after a crash).</summary>
    public void SetEnvironment(string key, string value) => environment[key] = value;

    /// <summary>
    /// kill -9 of the server, as when its machine or container dies: no shutdown, nothing flushed that was not already
    /// durable. The fake CLI processes it had running die with it (SIGKILL too), as they would in the container.
    /// </summary>
    public async Task CrashAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: false); // SIGKILL on Unix
            await process.WaitForExitAsync();
        }

        foreach (var pid in FakeCli.RunningPids("TEST_SERVER_INSTANCE=" + Instance))
        {
            try
            {
                using var orphan = Process.GetProcessById(pid);
                orphan.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>
    /// A graceful stop, as a container runtime or systemd asks for one: SIGTERM, then wait for the server to exit by
    /// itself. Returns its exit code.
    /// </summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        if (process is not { HasExited: false })
        {
            return process?.ExitCode ?? 0;
        }

        if (SignalNative.Kill(process.Id, SignalNative.SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {process.Id} failed");
        }

        using var wait = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(wait.Token);
        return process.ExitCode;
    }

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (process is not null)
        {
            await NodeTool.StopAsync(process);
        }
        if (Environment.GetEnvironmentVariable("KEEP_TEST_SERVER_STATE") != "1")
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }

        File.AppendAllText(Path.Combine(Root, "server.log"), line + Environment.NewLine);
    }


    /// <summary>
    /// The test server built in the same configuration as these tests (the project reference builds it first);
    /// when it is missing, e.g. a test run with --no-build after building only this project, it is built once.
    /// </summary>
    private static async Task<string> BuiltServerAsync()
    {
        var dll = Path.Combine(RepositoryFiles.Root, "tests", "StoreProvisioning.TestServer", "bin", RepositoryFiles.Configuration, "net10.0", "StoreProvisioning.TestServer.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        await BuildLock.WaitAsync();
        try
        {
            if (!built && !File.Exists(dll))
            {
                var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(RepositoryFiles.Root, "tests", "StoreProvisioning.TestServer"), "-c", RepositoryFiles.Configuration])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                var output = await build.StandardOutput.ReadToEndAsync();
                await build.WaitForExitAsync();
                if (build.ExitCode != 0)
                {
                    throw new InvalidOperationException("Building the test server failed:\n" + output);
                }

                built = true;
            }
        }
        finally
        {
            BuildLock.Release();
        }

        return dll;
    }
}

internal static class SignalNative
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
