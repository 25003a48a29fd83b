using System.Text.Json;

namespace StoreProvisioning.Core.Tests.Support;

/// <summary>
/// A stand-in for helm or kubectl: a single python process that answers by the longest matching argv prefix and
/// records every call's argv and stdin as one JSON line, so tests can assert exactly what the CLI was asked.
/// </summary>
public sealed class ScriptedCli
{
    private readonly string logPath;

    private ScriptedCli(string path, string logPath)
    {
        Path = path;
        this.logPath = logPath;
    }

    public string Path { get; }

    /// <param name="answers">argv prefix ("status", "get namespace") → exit code, stdout, stderr. Unmatched calls exit 0 silently.</param>
    public static ScriptedCli Create(TempDirectory dir, string name, IReadOnlyDictionary<string, (int Exit, string Stdout, string Stderr)> answers)
    {
        var log = dir.File(name + ".calls.jsonl");
        var table = JsonSerializer.Serialize(answers.ToDictionary(kv => kv.Key, kv => new object[] { kv.Value.Exit, kv.Value.Stdout, kv.Value.Stderr }));
        var path = Scripts.Python(dir, name, $$"""
            import json, sys
            answers = json.loads({{JsonSerializer.Serialize(table)}})
            argv = sys.argv[1:]
            stdin = '' if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
            with open({{JsonSerializer.Serialize(log)}}, 'a') as f:
                f.write(json.dumps({'argv': argv, 'stdin': stdin}) + '\n')
            joined = ' '.join(argv)
            best = max((k for k in answers if joined == k or joined.startswith(k + ' ')), key=len, default=None)
            if best is None:
                sys.exit(0)
            code, out, err = answers[best]
            sys.stdout.write(out)
            sys.stderr.write(err)
            sys.exit(code)
            """);
        return new ScriptedCli(path, log);
    }

    public IReadOnlyList<(string[] Argv, string Stdin)> Calls() =>
        File.Exists(logPath)
            ? File.ReadAllLines(logPath).Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                return (doc.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray(), doc.RootElement.GetProperty("stdin").GetString()!);
            }).ToList()
            : [];
}
