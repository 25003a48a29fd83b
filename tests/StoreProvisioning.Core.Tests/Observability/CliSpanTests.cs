using System.Collections.Concurrent;
using System.Diagnostics;
using StoreProvisioning.Cluster;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Observability;

namespace StoreProvisioning.Core.Tests.Observability;

/// <summary>Every helm/kubectl run is one span of the "StoreProvisioning" source, a child of the step that ran it.</summary>
public sealed class CliSpanTests : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly CapturingLoggerProvider logs = new();
    private readonly ConcurrentQueue<Activity> ended = new();
    private readonly ActivityListener listener;

    public CliSpanTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Tracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = ended.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose()
    {
        listener.Dispose();
        dir.Dispose();
    }

    private CliRunner Runner() => new(TimeSpan.FromSeconds(1), logs.CreateLogger<CliRunner>());

    /// <summary>Runs <paramref name="run"/> under a parent span of its own and returns the CLI spans of that trace (other tests run in parallel).</summary>
    private async Task<Activity> CliSpanOf(Func<CliRunner, Task> run)
    {
        using var parent = Tracing.StartSpan("step");
        try
        {
            await run(Runner());
        }
        catch (CliCommandException)
        {
        }

        return Assert.Single(ended, a => a.TraceId == parent.TraceId && a.ParentSpanId == parent.SpanId);
    }

    // The span names the tool and subcommand and carries the command line as the log shows it and the exit code.
    [Fact]
    public async Task Span_names_tool_and_subcommand_with_command_line_and_exit_code()
    {
        var helm = Scripts.Bash(dir, "helm", "exit 0\n");
        var span = await CliSpanOf(r => r.RunAsync(new CliRequest(helm, ["upgrade", "--install", "acme"], TimeSpan.FromSeconds(20))));

        Assert.Equal("helm upgrade", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("helm", span.GetTagItem(CliSpan.ToolAttribute));
        Assert.Equal("helm upgrade --install acme", span.GetTagItem(CliSpan.CommandLineAttribute));
        Assert.Contains(logs.Lines, l => l.Contains("Running helm upgrade --install acme", StringComparison.Ordinal));
        Assert.Equal(0, span.GetTagItem(CliSpan.ExitCodeAttribute));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    // A non-zero exit is an error span with the exit code; the command's secrets are redacted from the command line as from its output.
    [Fact]
    public async Task Failed_command_is_an_error_span_and_secrets_are_redacted()
    {
        var kubectl = Scripts.Bash(dir, "kubectl", "echo 'denied' >&2\nexit 3\n");
        var span = await CliSpanOf(r => r.RunCheckedAsync(
            new CliRequest(kubectl, ["get", "pods", "--token", "tok-SECRET-1234"], TimeSpan.FromSeconds(20), Secrets: ["tok-SECRET-1234"])));

        Assert.Equal("kubectl get", span.DisplayName);
        Assert.Equal("kubectl get pods --token [REDACTED]", span.GetTagItem(CliSpan.CommandLineAttribute));
        Assert.Equal(3, span.GetTagItem(CliSpan.ExitCodeAttribute));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.DoesNotContain("tok-SECRET-1234", string.Join(' ', span.TagObjects.Select(t => t.Value)) + span.StatusDescription);
    }

    // A non-zero exit the caller declares an answer (helm's "release: not found") keeps its exit code but is no error
    // span; the same exit with other output still is.
    [Theory]
    [InlineData("Error: release: not found", ActivityStatusCode.Unset)]
    [InlineData("Error: Kubernetes cluster unreachable", ActivityStatusCode.Error)]
    public async Task Exit_that_answers_the_question_is_not_an_error_span(string stderr, ActivityStatusCode status)
    {
        var helm = Scripts.Bash(dir, "helm", $"echo '{stderr}' >&2\nexit 1\n");
        var span = await CliSpanOf(r => r.RunAsync(new CliRequest(
            helm, ["status", "acme"], TimeSpan.FromSeconds(20), IsAnswer: result => result.StandardError.Contains("release: not found", StringComparison.Ordinal))));

        Assert.Equal(1, span.GetTagItem(CliSpan.ExitCodeAttribute));
        Assert.Equal(status, span.Status);
    }

    // A program that cannot start still leaves an error span.
    [Fact]
    public async Task Missing_program_is_an_error_span()
    {
        var span = await CliSpanOf(r => r.RunAsync(new CliRequest(Path.Combine(dir.Path, "no-such-helm"), ["status", "acme"], TimeSpan.FromSeconds(20))));

        Assert.Equal("no-such-helm status", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(nameof(CliFailure.NotStartable), span.StatusDescription);
    }
}
