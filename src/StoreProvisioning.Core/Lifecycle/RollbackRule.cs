using System.Globalization;

namespace StoreProvisioning.Lifecycle;

/// <summary>
/// When a rollback may be asked for: there must be a revision earlier than the one recorded (the precise target is
/// chosen later from `helm history` by <see cref="RollbackTarget"/>). The repository enforces it in the rollback's
/// conditional write (<see cref="SqlCondition"/>) and explains a refusal with <see cref="Check"/>.
/// </summary>
public static class RollbackRule
{
    /// <summary>The rule over the row's <c>revision</c> column and the <c>@requested</c> parameter.</summary>
    public const string SqlCondition = "((CAST(@requested AS INTEGER) IS NULL AND revision > 1) OR (CAST(@requested AS INTEGER) IS NOT NULL AND (revision IS NULL OR CAST(@requested AS INTEGER) < revision)))";

    /// <summary>Whether a store at <paramref name="current"/> can be rolled back without naming a revision.</summary>
    public static bool HasEarlierRevision(int? current) => current is > 1;

    /// <summary>Null when a rollback to <paramref name="requested"/> (or the previous good revision) may be asked for.</summary>
    public static Refusal? Check(string name, int? current, int? requested)
    {
        if (requested is null && !HasEarlierRevision(current))
        {
            return new Refusal(
                RefusalKind.Invalid,
                "Nothing to roll back to",
                $"Store '{name}' is at revision {current?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}; there is no earlier revision. Upgrade it first.");
        }

        if (requested is { } wanted && current is { } now && wanted >= now)
        {
            return new Refusal(
                RefusalKind.Invalid,
                "Not an earlier revision",
                $"Revision {wanted} is not earlier than the current revision {now}.",
                new Dictionary<string, string[]> { ["revision"] = [$"must be less than {now}."] });
        }

        return null;
    }
}
