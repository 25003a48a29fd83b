using System.Text.Json;
using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Core.Tests.Lifecycle;

/// <summary>The pure summariser from `kubectl get pods/events -o json` to the store's error and the audit detail.</summary>
public sealed class ClusterDiagnosticsTests
{
    // A container waiting in ImagePullBackOff is named, with its pod and the kubelet's message.
    [Fact]
    public void Image_pull_back_off_is_the_summary()
    {
        var report = Summarise(Pods(Pod("shop-app-0", "Pending", waiting: ("ImagePullBackOff", "Back-off pulling image \"wp:bad\""))), Events());

        Assert.True(report.FoundProblems);
        Assert.Equal("pod shop-app-0: ImagePullBackOff (Back-off pulling image \"wp:bad\")", report.Summary);
        Assert.Contains("pod shop-app-0: Pending; app waiting: ImagePullBackOff", report.Detail);
    }

    // CrashLoopBackOff and ErrImagePull in init containers are found too; OOMKilled in lastState gets a hint.
    [Fact]
    public void Crash_loops_init_containers_and_oom_kills_are_found()
    {
        var crash = Pod("api-0", "Running", waiting: ("CrashLoopBackOff", "back-off 40s"), lastTerminated: "OOMKilled");
        var init = JsonNodeFrom("""{"metadata":{"name":"db-0"},"status":{"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"waiting":{"reason":"ErrImagePull"}}}]}}""");

        var report = Summarise(Pods(crash, init), Events());

        Assert.Contains("pod api-0: CrashLoopBackOff (back-off 40s)", report.Summary);
        Assert.Contains("pod api-0: container app was OOMKilled", report.Summary);
        Assert.Contains("pod db-0: ErrImagePull", report.Summary);
    }

    // An unschedulable pod is reported once, from its PodScheduled condition (the matching FailedScheduling event adds nothing).
    [Fact]
    public void Unschedulable_pods_are_reported_with_the_scheduler_message()
    {
        var pod = JsonNodeFrom("""{"metadata":{"name":"shop-app-0"},"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/1 nodes are available: 1 Insufficient memory."}]}}""");
        var events = Events(Event("FailedScheduling", "Pod", "shop-app-0", "0/1 nodes are available: 1 Insufficient memory."));

        var report = Summarise(Pods(pod), events);

        Assert.Equal("pod shop-app-0 is Unschedulable: 0/1 nodes are available: 1 Insufficient memory.", report.Summary);
    }

    // A quota rejection (FailedCreate "exceeded quota") explains why there are no pods at all.
    [Fact]
    public void Quota_rejections_are_reported()
    {
        var events = Events(
            Event("FailedCreate", "ReplicaSet", "shop-app-7d9f", "Error creating: pods \"shop-app-7d9f-x\" is forbidden: exceeded quota: store-quota, requested: memory=2Gi"),
            Event("Scheduled", "Pod", "other", "fine", type: "Normal"));

        var report = Summarise(Pods(), events);

        Assert.StartsWith("quota exceeded: Error creating: pods \"shop-app-7d9f-x\" is forbidden: exceeded quota: store-quota", report.Summary);
        Assert.Contains("no pods in the namespace", report.Detail);
        Assert.DoesNotContain("Scheduled", report.Detail); // only warnings are kept
    }

    // Healthy-looking pods give a factual summary instead of a guess.
    [Fact]
    public void No_problem_found_says_what_was_seen()
    {
        var report = Summarise(Pods(Pod("a", "Running"), Pod("b", "Running"), Pod("c", "Pending")), Events());

        Assert.False(report.FoundProblems);
        Assert.Equal("no pod problem found (pods: 1 Pending, 2 Running)", report.Summary);
    }

    // Missing or malformed input never throws: diagnostics must not mask the failure they explain.
    [Fact]
    public void Missing_or_odd_input_is_tolerated()
    {
        Assert.Equal("no pods were created and the namespace has no warning events", ClusterDiagnostics.Summarise(null, null).Summary);
        var odd = ClusterDiagnostics.Summarise(JsonDocument.Parse("""{"items":[{"status":"weird"},42]}""").RootElement, JsonDocument.Parse("[]").RootElement);
        Assert.False(odd.FoundProblems);
    }

    // Many problems are capped in the summary (the rest is in the activity log).
    [Fact]
    public void Summary_stays_short()
    {
        var pods = Enumerable.Range(0, 6).Select(i => Pod($"p{i}", "Pending", waiting: ("ImagePullBackOff", null))).ToArray();

        var report = Summarise(Pods(pods), Events());

        Assert.EndsWith("(+3 more in the activity log)", report.Summary);
        Assert.Equal(6, report.Detail.Split('\n').Length);
    }

    private static DiagnosticsReport Summarise(string pods, string events) =>
        ClusterDiagnostics.Summarise(JsonDocument.Parse(pods).RootElement, JsonDocument.Parse(events).RootElement);

    private static string Pods(params string[] items) => $$"""{"apiVersion":"v1","kind":"List","items":[{{string.Join(',', items)}}]}""";

    private static string Events(params string[] items) => Pods(items);

    private static string JsonNodeFrom(string json) => json;

    private static string Pod(string name, string phase, (string Reason, string? Message)? waiting = null, string? lastTerminated = null)
    {
        var container = new Dictionary<string, object?> { ["name"] = "app", ["ready"] = waiting is null };
        if (waiting is { } w)
        {
            container["state"] = new { waiting = new { reason = w.Reason, message = w.Message } };
        }

        if (lastTerminated is not null)
        {
            container["lastState"] = new { terminated = new { reason = lastTerminated } };
        }

        return JsonSerializer.Serialize(new { metadata = new { name }, status = new { phase, containerStatuses = new[] { container } } });
    }

    private static string Event(string reason, string kind, string name, string message, string type = "Warning") =>
        JsonSerializer.Serialize(new { type, reason, message, involvedObject = new { kind, name } });
}
