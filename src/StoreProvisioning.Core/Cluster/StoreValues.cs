using System.Text.Json;
using System.Text.Json.Nodes;

namespace StoreProvisioning.Cluster;

/// <summary>
/// The values contract between the control plane and the charts (helm/README.md): `store` (name, host, url) and, on
/// install, `credentials`. Written as JSON, which helm reads as YAML.
/// </summary>
public static class StoreValues
{
    public static string Build(string storeName, string host, string url, StoreCredentials? credentials)
    {
        var root = new JsonObject
        {
            ["store"] = new JsonObject { ["name"] = storeName, ["host"] = host, ["url"] = url },
        };

        if (credentials is not null)
        {
            var secrets = new JsonObject();
            foreach (var (key, value) in credentials.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                secrets[key] = value;
            }

            root["credentials"] = secrets;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

/// <summary>
/// A values file only this process can read (mode 0600 in a private folder), deleted when disposed,
/// so secrets reach helm without ever appearing in its argument list.
/// </summary>
public sealed class PrivateValuesFile : IDisposable
{
    private readonly string folder;

    private PrivateValuesFile(string folder, string path)
    {
        this.folder = folder;
        Path = path;
    }

    public string Path { get; }

    public static PrivateValuesFile Write(string name, string content)
    {
        var folder = Directory.CreateTempSubdirectory("store-values-").FullName;
        var path = System.IO.Path.Combine(folder, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return new PrivateValuesFile(folder, path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is private and under the temp directory.
        }
    }
}
