using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>
/// A real Azurite (npm package "azurite", pure JavaScript) on free loopback ports with its data in a temp folder,
/// for the test server's DURABLE_BACKEND=azurite. Found through AZURITE_PATH, PATH, node_modules/.bin or
/// .tools/azurite; when none is there it is installed once into .tools/azurite with npm.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string Version = "3.37.0";
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process process;
    private readonly string folder;
    private readonly StringBuilder log = new();

    private Azurite(Process process, string folder, string connectionString)
    {
        this.process = process;
        this.folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>The AzureWebJobsStorage connection string that reaches this Azurite.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts Azurite, or returns null with the reason when it cannot be found or installed.</summary>
    public static async Task<(Azurite? Azurite, string? Why)> StartAsync()
    {
        var executable = await NodeTool.FindOrInstallAsync("azurite", Version, Path.Combine("node_modules", ".bin", "azurite"), Candidates());
        if (executable.Path is null)
        {
            return (null, executable.Why);
        }

        var folder = Path.Combine(Path.GetTempPath(), "azurite-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        int blob = NodeTool.FreePort(), queue = NodeTool.FreePort(), table = NodeTool.FreePort();
        var start = new ProcessStartInfo(executable.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--silent", "--skipApiVersionCheck", "--loose", "--location", folder,
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var connection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevAccountKey +
            $";BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        var azurite = new Azurite(process, folder, connection);
        process.OutputDataReceived += (_, e) => azurite.Append(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Generous: node starts slowly on a loaded 2-core machine, and a slow start is not what these tests are about.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        foreach (var port in new[] { blob, queue, table })
        {
            while (true)
            {
                if (process.HasExited)
                {
                    return (null, $"Azurite exited with {process.ExitCode}: {azurite.log}");
                }

                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }
        }

        return (azurite, null);
    }

    public async ValueTask DisposeAsync()
    {
        await NodeTool.StopAsync(process);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    /// <summary>Where an Azurite may already be: AZURITE_PATH, the repository's or the dashboard's node_modules, PATH.</summary>
    private static IEnumerable<string?> Candidates() =>
    [
        Environment.GetEnvironmentVariable("AZURITE_PATH"),
        Path.Combine(RepositoryFiles.Root, "node_modules", ".bin", "azurite"),
        Path.Combine(RepositoryFiles.Root, "frontend", "node_modules", ".bin", "azurite"),
        NodeTool.OnPath("azurite"),
    ];
}
