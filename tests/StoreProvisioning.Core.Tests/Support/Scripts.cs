namespace StoreProvisioning.Core.Tests.Support;

/// <summary>Writes small executable scripts (bash or python3) that stand in for helm and kubectl in runner tests.</summary>
public static class Scripts
{
    /// <summary>An executable file with the given shebang body, mode 0700.</summary>
    public static string Write(TempDirectory dir, string name, string body)
    {
        var path = dir.File(name);
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public static string Bash(TempDirectory dir, string name, string body) => Write(dir, name, "#!/usr/bin/env bash\n" + body);

    public static string Python(TempDirectory dir, string name, string body) => Write(dir, name, "#!/usr/bin/env python3\n" + body);
}
