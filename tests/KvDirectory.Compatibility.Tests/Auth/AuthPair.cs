using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Auth;

/// <summary>
/// A server pair of its own: enabling auth changes every answer of a server, so the auth scenarios never share the
/// differential pair. The collection runs them one after another.
/// </summary>
public sealed class AuthPair : ServerPair;

[CollectionDefinition(Name)]
public sealed class AuthCollection : ICollectionFixture<AuthPair>
{
    public const string Name = "auth-differential";
}
