using StoreProvisioning.Validation;

namespace StoreProvisioning.Core.Tests.Validation;

public class StoreRulesTests
{
    // Valid DNS-1123 labels within 3..40 characters pass, including both bounds.
    [Theory]
    [InlineData("abc")]
    [InlineData("a1b")]
    [InlineData("a-b")]
    [InlineData("acme-shop")]
    [InlineData("shop-2")]
    [InlineData("a--b")]
    [InlineData("metricsx")]
    [InlineData("healthy")]
    [InlineData("my-activity")]
    public void Valid_names_pass(string name) => Assert.Null(StoreRules.CheckName(name));

    // Exactly 3 and exactly 40 characters are the inclusive bounds.
    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void Length_bounds_are_inclusive(int length) => Assert.Null(StoreRules.CheckName("a" + new string('b', length - 1)));

    // 2 and 41 characters (and empty) are refused with a message stating the bounds and the actual length.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(41)]
    [InlineData(64)]
    public void Lengths_outside_bounds_are_refused(int length)
    {
        var name = length == 0 ? string.Empty : "a" + new string('b', length - 1);
        var error = StoreRules.CheckName(name);
        Assert.NotNull(error);
        Assert.Contains("3 to 40", error);
        Assert.Contains($"it is {length}", error);
    }

    // Names that are not lower-case DNS labels are refused with the DNS-label message.
    [Theory]
    [InlineData("Acme")]
    [InlineData("acME")]
    [InlineData("1acme")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac_me")]
    [InlineData("ac.me")]
    [InlineData("ac me")]
    [InlineData(" acme")]
    [InlineData("acme\n")]
    [InlineData("caf\u00e9")]
    [InlineData("\u0430cme")] // Cyrillic 'а' that looks like Latin 'a'
    [InlineData("acme\u0000")]
    [InlineData("ac;me")]
    [InlineData("ac$(x)")]
    [InlineData("../etc")]
    [InlineData("acme\u212A")] // Kelvin sign, which case-insensitive matching would fold to 'k'
    public void Non_dns_label_names_are_refused(string name)
    {
        var error = StoreRules.CheckName(name);
        Assert.NotNull(error);
        Assert.Contains("DNS label", error);
    }

    // The API's own route segments are reserved and refused by name.
    [Theory]
    [InlineData("metrics")]
    [InlineData("activity")]
    [InlineData("health")]
    public void Reserved_names_are_refused(string name)
    {
        var error = StoreRules.CheckName(name);
        Assert.NotNull(error);
        Assert.Contains("reserved", error);
        Assert.Contains(name, error);
    }

    // Exactly the three route names are reserved.
    [Fact]
    public void Reserved_set_is_exactly_the_route_names() =>
        Assert.Equal(new HashSet<string> { "metrics", "activity", "health" }, StoreRules.ReservedNames.ToHashSet());

    // userId: 1..64 of [A-Za-z0-9._@-] passes, including both bounds.
    [Theory]
    [InlineData("u")]
    [InlineData("alice")]
    [InlineData("Alice.Smith_1@example-corp.com")]
    [InlineData("-._@")]
    [InlineData("0")]
    public void Valid_user_ids_pass(string userId) => Assert.Null(StoreRules.CheckUserId(userId));

    // 64 characters is allowed; 65 is refused with the bound in the message, as is empty.
    [Fact]
    public void User_id_length_bounds()
    {
        Assert.Null(StoreRules.CheckUserId(new string('u', 64)));
        Assert.Contains("1 to 64", StoreRules.CheckUserId(new string('u', 65)));
        Assert.Contains("1 to 64", StoreRules.CheckUserId(string.Empty));
    }

    // Characters outside the allowed set are refused with the list of allowed characters.
    [Theory]
    [InlineData("al ice")]
    [InlineData("alice!")]
    [InlineData("al/ice")]
    [InlineData("al\\ice")]
    [InlineData("al;ice")]
    [InlineData("al$ice")]
    [InlineData("\u00e9lise")]
    [InlineData("alice\n")]
    [InlineData("alice\u0000")]
    [InlineData("al+ice")]
    public void User_ids_with_other_characters_are_refused(string userId) =>
        Assert.Contains("may contain only", StoreRules.CheckUserId(userId));

    // Reference rule written independently, character by character, from the issue's wording.
    private static bool ReferenceNameOk(string name) =>
        name.Length is >= 3 and <= 40
        && name[0] is >= 'a' and <= 'z'
        && name[^1] is (>= 'a' and <= 'z') or (>= '0' and <= '9')
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name is not ("metrics" or "activity" or "health");

    private static bool ReferenceUserOk(string user) =>
        user.Length is >= 1 and <= 64 && user.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '@' or '-');

    // 20,000 random strings over a hostile alphabet (edges, controls, unicode look-alikes): CheckName and CheckUserId
    // agree with the independent reference on every one, both ways.
    [Fact]
    public void Random_strings_agree_with_reference_rules()
    {
        const string Alphabet = "abcxyz0129-_.@ABZ \n\t\r\0/;$`'\"\u00e9\u0430\u212A\u0131\uff41\u200b";
        var random = new Random(20261126);
        var reserved = new[] { "metrics", "activity", "health" };
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 70);
            var text = i % 50 == 0
                ? reserved[random.Next(reserved.Length)]
                : new string(Enumerable.Range(0, length).Select(_ => i % 3 == 0 ? Alphabet[random.Next(Alphabet.Length)] : "abc019-"[random.Next(7)]).ToArray());
            Assert.True(ReferenceNameOk(text) == (StoreRules.CheckName(text) is null), $"name {System.Text.Json.JsonSerializer.Serialize(text)}");
            Assert.True(ReferenceUserOk(text) == (StoreRules.CheckUserId(text) is null), $"userId {System.Text.Json.JsonSerializer.Serialize(text)}");
        }
    }
}
