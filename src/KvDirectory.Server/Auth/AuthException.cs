namespace KvDirectory.Server.Auth;

/// <summary>etcd's v2 auth error: an HTTP status and a message starting <c>auth: </c>, answered as <c>{"message":…}</c>.</summary>
public sealed class AuthException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static AuthException Of(int status, string message) => new(status, "auth: " + message);
}
