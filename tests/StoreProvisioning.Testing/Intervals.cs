namespace StoreProvisioning.Testing;

/// <summary>How many time intervals are open at once, measured the way a bound is stated: at any single instant.</summary>
public static class Intervals
{
    /// <summary>
    /// The largest number of intervals open at the same instant (a sweep over start and end points). An interval that
    /// ends exactly when another starts does not overlap it. Counting, per interval, the others that overlap it would
    /// overstate this: a, b and c where a overlaps b and b overlaps c, but a and c never meet, are 2 at once, not 3.
    /// </summary>
    public static int MaxOpenAtOnce(IEnumerable<(double Start, double End)> intervals)
    {
        var points = intervals
            .SelectMany(i => new[] { (Time: i.Start, Change: +1), (Time: i.End, Change: -1) })
            .OrderBy(p => p.Time)
            .ThenBy(p => p.Change); // at equal times an end (-1) comes before a start (+1)
        var open = 0;
        var max = 0;
        foreach (var (_, change) in points)
        {
            open += change;
            max = Math.Max(max, open);
        }

        return max;
    }

    /// <summary>The same for fake CLI runs that have ended.</summary>
    public static int MaxOpenAtOnce(IEnumerable<CliCall> calls) =>
        MaxOpenAtOnce(calls.Select(c => (c.Start, c.End ?? throw new ArgumentException($"'{c.Command}' has not ended", nameof(calls)))));
}
