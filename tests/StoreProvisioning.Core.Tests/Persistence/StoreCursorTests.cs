using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

public class StoreCursorTests
{
    private const string Filter = "alice\nREADY";

    // A cursor reads back as the same position for the same listing.
    [Fact]
    public void Round_trips_for_the_same_filter()
    {
        var cursor = new StoreCursor(1_764_000_000_123, 42);
        Assert.Equal(cursor, StoreCursor.TryDecode(cursor.Encode(Filter), Filter));
    }

    // Any edited character, a truncated or padded cursor, garbage, or a cursor of another listing is refused.
    [Fact]
    public void Tampered_or_foreign_cursors_are_refused()
    {
        var text = new StoreCursor(1_764_000_000_123, 42).Encode(Filter);
        for (var i = 0; i < text.Length; i++)
        {
            var edited = text[..i] + (text[i] == 'A' ? 'B' : 'A') + text[(i + 1)..];
            Assert.Null(StoreCursor.TryDecode(edited, Filter));
        }

        Assert.Null(StoreCursor.TryDecode(text[..^1], Filter));
        Assert.Null(StoreCursor.TryDecode(text + "AA", Filter));
        Assert.Null(StoreCursor.TryDecode("not a cursor!", Filter));
        Assert.Null(StoreCursor.TryDecode(string.Empty, Filter));
        Assert.Null(StoreCursor.TryDecode(new string('A', 5000), Filter));
        Assert.Null(StoreCursor.TryDecode(text, "bob\nREADY"));
        Assert.Null(StoreCursor.TryDecode(text, "alice\n"));
    }
}
