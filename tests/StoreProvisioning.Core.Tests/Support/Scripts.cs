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

    public static string Python(TempDirectory dir, string name, string body) => Write(dir, name, $"#!{PythonInterpreter}\n" + body);

    /// <summary>
    /// A process that honours SIGTERM: writes "TERM" to its first argument and exits 143; writes its second argument
    /// (the readiness file) once the handler is installed, then waits forever.
    /// </summary>
    public static string HonoursSigterm(TempDirectory dir, string name) => Python(dir, name, """
        import signal, sys, time
        def on_term(signum, frame):
            open(sys.argv[1], 'w').write('TERM')
            sys.exit(143)
        signal.signal(signal.SIGTERM, on_term)
        open(sys.argv[2], 'w').write('ready')
        while True:
            time.sleep(0.02)
        """);

    /// <summary>
    /// The system python3 when there is one: a version-manager shim (pyenv) on PATH is a bash script that takes
    /// hundreds of milliseconds to start, which would eat into the short timeouts these tests use.
    /// </summary>
    private static string PythonInterpreter { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "/usr/bin/env python3";

    /// <summary>Waits until a script has written its readiness file (e.g. after installing its signal handler).</summary>
    public static async Task WaitForFileAsync(string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"{path} did not appear");
            await Task.Delay(10);
        }
    }
}
