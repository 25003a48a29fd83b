// The runner and repository tests use POSIX signals, file modes and /proc: this suite runs on Linux (as CI does).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
