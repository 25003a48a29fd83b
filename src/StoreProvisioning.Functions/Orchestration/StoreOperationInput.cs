using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>
/// What every store orchestration is started with. Holds no secrets: orchestration inputs are persisted in the
/// durable history. The operation id fences the store row: only steps carrying it may record outcomes.
/// </summary>
/// <param name="ArgsJson">Non-secret operation arguments (<see cref="Application.OperationArgs"/>) as JSON.</param>
/// <param name="Deadline">
/// How long one cluster step may take before the orchestrator's durable timer gives up on it
/// (<see cref="Configuration.StoreProvisioningOptions.OperationDeadline"/>). Carried in the input so the orchestrator
/// stays deterministic (no configuration read on replay); null falls back to <see cref="DefaultDeadline"/>.
/// </param>
/// <param name="RetryOf">
/// For a retry: the operation it re-runs (install, upgrade or rollback), read from the row's failed operation, which
/// the failing write recorded (<see cref="Persistence.StoreRepository.FailAsync(string, string?, string, Persistence.ActivityDraft, int?, CancellationToken)"/>).
/// </param>
/// <param name="Notify">Announce the outcome to NOTIFY_WEBHOOK_URL (set when the operation starts, so replays agree).</param>
/// <param name="TraceParent">
/// The W3C traceparent of the operation's launch span (a child of the HTTP request's span), captured when the operation
/// was launched: every activity's span is its child, so one operation is one trace, and the orchestrator stays
/// deterministic (it reads the trace from its input, never from the ambient context). Not a secret.
/// </param>
public sealed record StoreOperationInput(
    string StoreName,
    string OperationId,
    StoreOperation Operation,
    StoreEngine Engine,
    string? ArgsJson,
    TimeSpan? Deadline = null,
    StoreOperation? RetryOf = null,
    bool Notify = false,
    string? TraceParent = null)
{
    /// <summary>The operation's trace id (32 hex digits), from <see cref="TraceParent"/>.</summary>
    public string? TraceId => StoreProvisioning.Observability.Tracing.TraceIdOf(TraceParent);

    /// <summary>The deadline of the default settings (HELM_TIMEOUT and TERMINATION_GRACE unset).</summary>
    public static readonly TimeSpan DefaultDeadline = Configuration.StoreProvisioningOptions.DeadlineFor(
        Configuration.StoreProvisioningOptions.DefaultHelmTimeout, Configuration.StoreProvisioningOptions.DefaultTerminationGrace);

    /// <summary>The deadline each cluster step of this operation is held to.</summary>
    public TimeSpan StepDeadline => Deadline is { } d && d > TimeSpan.Zero ? d : DefaultDeadline;

    /// <summary>The operation whose steps run: what a retry re-runs, or the operation itself.</summary>
    public StoreOperation Runs => RetryOf ?? Operation;
}
