namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>Finds files of the checkout (host.json, the settings sample, the build output) from the test's folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The Functions project's build output for the configuration these tests were built with.</summary>
    public static string FunctionsOutput()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name; // bin/{Configuration}/net10.0
        return Path("src", "StoreProvisioning.Functions", "bin", configuration, "net10.0");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
