using KvDirectory.Protocol.Auth;
using KvDirectory.Server.Auth;

namespace KvDirectory.Server.Tests.Unit;

public sealed class AuthRulesTests
{
    private static AuthRole Role(string[]? read, string[]? write) =>
        new() { Role = "r", Permissions = new AuthPermissions { Kv = new AuthKeyPermissions { Read = read, Write = write } } };

    [Theory]
    [InlineData("/a", "/a", false, true)]
    [InlineData("/a", "/a/b", false, false)]
    [InlineData("/a", "/a", true, false)]
    [InlineData("/a*", "/a/b", true, true)]
    [InlineData("/a*", "/ab", false, true)]
    [InlineData("/a/*", "/a", false, false)]
    [InlineData("/*", "", false, false)]
    public void Key_patterns_are_exact_or_star_prefixes(string pattern, string key, bool recursive, bool allowed) =>
        AuthRules.HasKeyAccess(Role([pattern], null), key, write: false, recursive).Should().Be(allowed);

    [Fact]
    public void Read_does_not_give_write_and_root_may_do_everything()
    {
        AuthRules.HasKeyAccess(Role(["/*"], null), "/x", write: true, recursive: false).Should().BeFalse();
        AuthRules.HasKeyAccess(AuthRules.RootRole, "", write: true, recursive: true).Should().BeTrue();
    }

    [Fact]
    public void Merging_refuses_duplicates_sorts_and_leaves_an_empty_list_not_null()
    {
        var stored = Role(["/b", "/a"], null);
        var granted = AuthRules.Merge(stored, new AuthRole { Role = "r", Grant = new AuthPermissions { Kv = new AuthKeyPermissions { Read = ["/c"] } } });
        granted.Permissions!.Kv!.Read.Should().Equal("/a", "/b", "/c");
        granted.Permissions.Kv.Write.Should().BeEmpty().And.NotBeNull();
        var duplicate = () => AuthRules.Merge(stored, new AuthRole { Role = "r", Grant = new AuthPermissions { Kv = new AuthKeyPermissions { Read = ["/a"] } } });
        duplicate.Should().Throw<AuthException>().Which.Message.Should().Be("auth: Granting duplicate read permission /a");

        var user = new AuthUser { User = "u", Password = "h", Roles = ["x"] };
        var revoke = () => AuthRules.Merge(user, new AuthUser { User = "u", Revoke = ["y"] }, null);
        revoke.Should().Throw<AuthException>().Which.Status.Should().Be(409);
        AuthRules.SameUser(user, AuthRules.Merge(user, new AuthUser { User = "u" }, null)).Should().BeTrue();
    }
}
