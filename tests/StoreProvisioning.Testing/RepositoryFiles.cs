namespace StoreProvisioning.Testing;

/// <summary>Finds files of the checkout (charts, fakes, settings, build output) from the running test's folder.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the running tests were built in (bin/{Configuration}/net10.0).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    /// <summary>tests/fakes: the scripted fake helm and kubectl.</summary>
    public static string FakesFolder => Path("tests", "fakes");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The Functions project's build output for the configuration these tests were built with.</summary>
    public static string FunctionsOutput() => Path("src", "StoreProvisioning.Functions", "bin", Configuration, "net10.0");

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
