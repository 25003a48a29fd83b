using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

/// <summary>The durations endpoint's arithmetic: nearest-rank percentiles and the window parameter.</summary>
public sealed class DurationMathTests
{
    // Nearest rank: the smallest observed value with at least p% of the sample at or below it.
    [Theory]
    [InlineData(new[] { 7.0 }, 50, 7.0)]
    [InlineData(new[] { 7.0 }, 95, 7.0)]
    [InlineData(new[] { 1.0, 2.0 }, 50, 1.0)]
    [InlineData(new[] { 1.0, 2.0 }, 95, 2.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 50, 2.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 75, 3.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 100, 4.0)]
    [InlineData(new[] { 15.0, 20.0, 35.0, 40.0, 50.0 }, 30, 20.0)]
    [InlineData(new[] { 15.0, 20.0, 35.0, 40.0, 50.0 }, 40, 20.0)]
    [InlineData(new[] { 15.0, 20.0, 35.0, 40.0, 50.0 }, 50, 35.0)]
    public void Nearest_rank_percentiles(double[] sorted, double percent, double expected) =>
        Assert.Equal(expected, Percentiles.NearestRank(sorted, percent));

    // 20 values 1..20: p50 is the 10th, p95 the 19th.
    [Fact]
    public void P50_and_p95_of_twenty_values()
    {
        var values = Enumerable.Range(1, 20).Select(i => (double)i).ToList();
        Assert.Equal((10.0, 19.0), (Percentiles.NearestRank(values, 50), Percentiles.NearestRank(values, 95)));
    }

    [Fact]
    public void Percentiles_of_nothing_or_outside_0_to_100_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1.0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1.0], 101));
    }

    [Theory]
    [InlineData(null, 24)]
    [InlineData("1h", 1)]
    [InlineData("24h", 24)]
    [InlineData("48h", 48)]
    [InlineData("168h", 168)]
    [InlineData("1d", 24)]
    [InlineData("7d", 168)]
    public void Windows_from_1h_to_7d_are_read(string? text, int hours)
    {
        Assert.True(DurationWindow.TryParse(text, out var window));
        Assert.Equal(TimeSpan.FromHours(hours), window);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0h")]
    [InlineData("0d")]
    [InlineData("169h")]
    [InlineData("8d")]
    [InlineData("24")]
    [InlineData("24H")]
    [InlineData("1w")]
    [InlineData("30m")]
    [InlineData("-1h")]
    [InlineData("+1h")]
    [InlineData(" 1h")]
    [InlineData("1h ")]
    [InlineData("01h")]
    [InlineData("1.5h")]
    [InlineData("1h\n")]
    [InlineData("99999999999h")]
    [InlineData("１h")]
    [InlineData("24h,1h")]
    public void Other_windows_are_refused(string text) => Assert.False(DurationWindow.TryParse(text, out _));
}
