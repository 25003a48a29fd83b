using StoreProvisioning.Cluster;

namespace StoreProvisioning.Core.Tests.Cluster;

public class PrivateValuesFileTests
{
    // The file holds the content, is readable and writable by its owner only (0600), in a folder only the owner can enter.
    [Fact]
    public void File_is_private_and_holds_the_content()
    {
        using var file = PrivateValuesFile.Write("values.json", "{\"credentials\":{\"adminPassword\":\"x\"}}");

        Assert.Equal("{\"credentials\":{\"adminPassword\":\"x\"}}", File.ReadAllText(file.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        var folderMode = File.GetUnixFileMode(Path.GetDirectoryName(file.Path)!);
        Assert.Equal(UnixFileMode.None, folderMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
        Assert.Equal("values.json", Path.GetFileName(file.Path));
    }

    // Dispose deletes the file and its private folder; disposing twice is harmless.
    [Fact]
    public void Dispose_deletes_file_and_folder()
    {
        var file = PrivateValuesFile.Write("values.json", "{}");
        var folder = Path.GetDirectoryName(file.Path)!;

        file.Dispose();
        Assert.False(File.Exists(file.Path));
        Assert.False(Directory.Exists(folder));
        file.Dispose();
    }

    // Each file gets its own folder, so two concurrent installs never share or overwrite a values file.
    [Fact]
    public void Each_file_has_its_own_folder()
    {
        using var a = PrivateValuesFile.Write("values.json", "a");
        using var b = PrivateValuesFile.Write("values.json", "b");
        Assert.NotEqual(Path.GetDirectoryName(a.Path), Path.GetDirectoryName(b.Path));
        Assert.Equal("a", File.ReadAllText(a.Path));
        Assert.Equal("b", File.ReadAllText(b.Path));
    }
}
