namespace StoreProvisioning.Functions.Tests.Infrastructure;

/// <summary>The concurrency bound tests count at one instant, not per interval.</summary>
public sealed class IntervalsTests
{
    [Fact]
    public void A_chain_of_overlaps_is_two_at_once_not_three()
    {
        // a overlaps b, b overlaps c, a and c never meet (the shape a burst's store-by-store run produces).
        Assert.Equal(2, Intervals.MaxOpenAtOnce([(8.0, 11.3), (11.0, 13.9), (12.9, 15.0)]));
    }

    [Fact]
    public void Three_intervals_sharing_an_instant_are_three()
    {
        Assert.Equal(3, Intervals.MaxOpenAtOnce([(0.0, 5.0), (1.0, 4.0), (2.0, 3.0)]));
    }

    [Fact]
    public void An_interval_ending_as_another_starts_does_not_overlap_it()
    {
        Assert.Equal(1, Intervals.MaxOpenAtOnce([(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]));
    }
}
