using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Stores;

public class WireTests
{
    // Statuses are spelled in upper case on the wire, exactly as the API contract lists them.
    [Theory]
    [InlineData(StoreStatus.New, "NEW")]
    [InlineData(StoreStatus.Provisioning, "PROVISIONING")]
    [InlineData(StoreStatus.Ready, "READY")]
    [InlineData(StoreStatus.Failed, "FAILED")]
    [InlineData(StoreStatus.Deleting, "DELETING")]
    public void Status_names(StoreStatus status, string name)
    {
        Assert.Equal(name, status.Name());
        Assert.Equal(status, Wire.ParseStatus(name));
    }

    // Operations are spelled in lower case on the wire.
    [Theory]
    [InlineData(StoreOperation.Install, "install")]
    [InlineData(StoreOperation.Upgrade, "upgrade")]
    [InlineData(StoreOperation.Rollback, "rollback")]
    [InlineData(StoreOperation.Retry, "retry")]
    [InlineData(StoreOperation.Delete, "delete")]
    public void Operation_names(StoreOperation operation, string name)
    {
        Assert.Equal(name, operation.Name());
        Assert.Equal(operation, Wire.ParseOperation(name));
    }

    // Engines are spelled as their chart folder names.
    [Theory]
    [InlineData(StoreEngine.WooCommerce, "woocommerce")]
    [InlineData(StoreEngine.Medusa, "medusa")]
    public void Engine_names(StoreEngine engine, string name)
    {
        Assert.Equal(name, engine.Name());
        Assert.Equal(engine, Wire.ParseEngine(name));
    }

    // Every enum value has a distinct wire name, so nothing collides in the database or the API.
    [Fact]
    public void Wire_names_are_distinct()
    {
        Assert.Equal(5, Enum.GetValues<StoreStatus>().Select(s => s.Name()).Distinct().Count());
        Assert.Equal(5, Enum.GetValues<StoreOperation>().Select(s => s.Name()).Distinct().Count());
        Assert.Equal(2, Enum.GetValues<StoreEngine>().Select(s => s.Name()).Distinct().Count());
    }

    // Numbers, blanks, padding, lists and unknown words never parse (Enum.TryParse alone would accept "0" or "1,2").
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("4")]
    [InlineData("-1")]
    [InlineData(" READY")]
    [InlineData("READY ")]
    [InlineData("READY,FAILED")]
    [InlineData("Ready\n")]
    [InlineData("DONE")]
    public void Non_names_do_not_parse(string? text)
    {
        Assert.False(Wire.TryParseStatus(text, out _));
        Assert.False(Wire.TryParseOperation(text, out _));
        Assert.False(Wire.TryParseEngine(text, out _));
    }

    // Parse* throws a FormatException naming the text and the type for a non-name.
    [Fact]
    public void Parse_throws_format_exception()
    {
        var ex = Assert.Throws<FormatException>(() => Wire.ParseStatus("DONE"));
        Assert.Contains("'DONE'", ex.Message);
        Assert.Contains(nameof(StoreStatus), ex.Message);
    }

    // Timestamps are ISO-8601 UTC with second precision and a Z, whatever the offset or sub-second part.
    [Theory]
    [InlineData(2026, 11, 26, 9, 30, 0, 0, 0, "2026-11-26T09:30:00Z")]
    [InlineData(2026, 11, 26, 9, 30, 0, 999, 0, "2026-11-26T09:30:00Z")]
    [InlineData(2026, 11, 26, 11, 30, 5, 0, 2, "2026-11-26T09:30:05Z")]
    [InlineData(2026, 1, 1, 0, 15, 0, 0, 1, "2025-12-31T23:15:00Z")]
    [InlineData(2026, 11, 26, 4, 0, 0, 0, -5, "2026-11-26T09:00:00Z")]
    public void Timestamp_format(int y, int mo, int d, int h, int mi, int s, int ms, int offsetHours, string expected) =>
        Assert.Equal(expected, Wire.Timestamp(new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.FromHours(offsetHours))));

    // The timestamp format does not depend on the current culture (no local digits or separators).
    [Fact]
    public void Timestamp_is_culture_invariant()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal("2026-11-26T09:30:00Z", Wire.Timestamp(new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero)));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
