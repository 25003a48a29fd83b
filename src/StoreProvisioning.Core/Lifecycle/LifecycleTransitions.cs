using StoreProvisioning.Stores;

namespace StoreProvisioning.Lifecycle;

/// <summary>
/// The store state machine: the only place that says which command may move a store from which status, and where to.
/// The repository turns <see cref="SourcesFor"/> into a conditional UPDATE, so the row itself is the lock.
/// </summary>
public static class LifecycleTransitions
{
    private static readonly IReadOnlyDictionary<LifecycleCommand, (StoreStatus[] From, StoreStatus To)> Table =
        new Dictionary<LifecycleCommand, (StoreStatus[] From, StoreStatus To)>
        {
            [LifecycleCommand.Upgrade] = ([StoreStatus.Ready, StoreStatus.Failed], StoreStatus.Provisioning),
            [LifecycleCommand.Rollback] = ([StoreStatus.Ready, StoreStatus.Failed], StoreStatus.Provisioning),
            [LifecycleCommand.Retry] = ([StoreStatus.Failed], StoreStatus.Provisioning),
            [LifecycleCommand.Delete] = ([StoreStatus.New, StoreStatus.Ready, StoreStatus.Failed], StoreStatus.Deleting),
            [LifecycleCommand.BeginInstall] = ([StoreStatus.New], StoreStatus.Provisioning),
            [LifecycleCommand.Succeed] = ([StoreStatus.Provisioning], StoreStatus.Ready),
            // Only an operation still in flight can fail: a late report of a step that already succeeded must not undo READY.
            [LifecycleCommand.Fail] = ([StoreStatus.New, StoreStatus.Provisioning], StoreStatus.Failed),
            [LifecycleCommand.FlagDrift] = ([StoreStatus.Ready], StoreStatus.Failed),
        };

    /// <summary>The statuses from which <paramref name="command"/> is allowed.</summary>
    public static IReadOnlyList<StoreStatus> SourcesFor(LifecycleCommand command) => Table[command].From;

    /// <summary>The operator commands in the order the API lists them, with the name it uses.</summary>
    private static readonly (LifecycleCommand Command, string Name)[] OperatorCommands =
    [
        (LifecycleCommand.Upgrade, "upgrade"), (LifecycleCommand.Rollback, "rollback"), (LifecycleCommand.Retry, "retry"), (LifecycleCommand.Delete, "delete"),
    ];

    /// <summary>
    /// What an operator may ask of a store now ("upgrade", "rollback", "retry", "delete"): the commands whose sources
    /// include its status, rollback only when there is an earlier revision (<see cref="RollbackRule"/>). The API
    /// shows it with each store so clients never restate these rules.
    /// </summary>
    public static IReadOnlyList<string> ActionsFor(StoreStatus status, int? revision) =>
        OperatorCommands
            .Where(c => Table[c.Command].From.Contains(status) && (c.Command != LifecycleCommand.Rollback || RollbackRule.HasEarlierRevision(revision)))
            .Select(c => c.Name)
            .ToList();

    /// <summary>Decides whether <paramref name="command"/> applies to a store in <paramref name="from"/>, and where it goes.</summary>
    public static TransitionResult Decide(StoreStatus from, LifecycleCommand command)
    {
        var (sources, to) = Table[command];
        if (sources.Contains(from))
        {
            return TransitionResult.Move(to);
        }

        return TransitionResult.Refuse(command switch
        {
            // Retry only ever makes sense for a failed store; asking otherwise is a bad request, not a race.
            LifecycleCommand.Retry => Refusal.Invalid($"Only a FAILED store can be retried; this store is {from.Name()}."),
            LifecycleCommand.Delete => Refusal.Conflict($"The store is {from.Name()}; wait until its current operation ends, then delete it."),
            LifecycleCommand.Upgrade or LifecycleCommand.Rollback => Refusal.Conflict(
                $"A store can be {(command == LifecycleCommand.Upgrade ? "upgraded" : "rolled back")} only when READY or FAILED; this store is {from.Name()}."),
            _ => Refusal.Conflict($"'{command}' does not apply to a store that is {from.Name()}."),
        });
    }
}
