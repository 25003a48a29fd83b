using StoreProvisioning.Identity;

namespace StoreProvisioning.Core.Tests.Identity;

public sealed class RoleAndCallerTests
{
    // The highest known role among a token's role claims wins; unknown or no roles mean user.
    [Theory]
    [InlineData(new string[0], Role.User)]
    [InlineData(new[] { "StoreProvisioning.Reader", "guest" }, Role.User)]
    [InlineData(new[] { "user", "operator" }, Role.Operator)]
    [InlineData(new[] { "Admin", "user" }, Role.Admin)]
    public void Highest_role_wins(string[] claims, Role expected) => Assert.Equal(expected, Roles.Highest(claims));

    // A user reaches only their own stores; operators and admins reach all, and only a user's queries are scoped.
    [Fact]
    public void Only_users_are_scoped_to_their_own_stores()
    {
        var alice = new Caller("alice", Role.User);
        Assert.True(alice.MayAccess("alice"));
        Assert.False(alice.MayAccess("bob"));
        Assert.False(alice.MayAccess("Alice"));
        Assert.Equal("alice", alice.OwnerScope);
        foreach (var role in new[] { Role.Operator, Role.Admin })
        {
            var staff = new Caller("ops", role);
            Assert.True(staff.MayAccess("bob"));
            Assert.Null(staff.OwnerScope);
        }
    }
}
