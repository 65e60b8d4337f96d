using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KvDirectory.Protocol;
using KvDirectory.Protocol.Auth;

namespace KvDirectory.Client;

/// <summary>The <c>/v2/auth</c> API as etcd's v2 client drives it: enable/disable, users, roles and their key permissions.</summary>
public sealed class AuthApi
{
    private const string JsonType = "application/json";
    private readonly EtcdTransport _transport;

    internal AuthApi(EtcdTransport transport) => _transport = transport;

    public Task EnableAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new EtcdRequest(HttpMethod.Put, "/v2/auth/enable"), cancellationToken);

    public Task DisableAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new EtcdRequest(HttpMethod.Delete, "/v2/auth/enable"), cancellationToken);

    public async Task<bool> IsEnabledAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/auth/enable") { Idempotent = true }, cancellationToken);
        return Deserialize(response, AuthJsonContext.Default.AuthEnabled).Enabled;
    }

    public async Task<IReadOnlyList<string>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/auth/users") { Idempotent = true }, cancellationToken);
        return [.. (Deserialize(response, AuthJsonContext.Default.AuthUserCollection).Users ?? []).Select(u => u.User ?? string.Empty)];
    }

    /// <summary>The user with its roles' names.</summary>
    public async Task<AuthUserWithRoles> GetUserAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, UserPath(name)) { Idempotent = true }, cancellationToken);
        return Deserialize(response, AuthJsonContext.Default.AuthUserWithRoles);
    }

    public Task AddUserAsync(string name, string password, CancellationToken cancellationToken = default) =>
        PutUserAsync(new AuthUser { User = name, Password = password }, cancellationToken);

    public Task RemoveUserAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(new EtcdRequest(HttpMethod.Delete, UserPath(name)), cancellationToken);

    public Task GrantUserAsync(string name, IReadOnlyList<string> roles, CancellationToken cancellationToken = default) =>
        PutUserAsync(new AuthUser { User = name, Grant = roles }, cancellationToken);

    public Task RevokeUserAsync(string name, IReadOnlyList<string> roles, CancellationToken cancellationToken = default) =>
        PutUserAsync(new AuthUser { User = name, Revoke = roles }, cancellationToken);

    public Task ChangePasswordAsync(string name, string password, CancellationToken cancellationToken = default) =>
        PutUserAsync(new AuthUser { User = name, Password = password }, cancellationToken);

    public async Task<IReadOnlyList<string>> ListRolesAsync(CancellationToken cancellationToken = default)
    {
        // etcd's client reads no message from this one refusal: it reports the bare status.
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/auth/roles") { Idempotent = true }, cancellationToken, bareStatus: true);
        return [.. (Deserialize(response, AuthJsonContext.Default.AuthRoleCollection).Roles ?? []).Select(r => r.Role ?? string.Empty)];
    }

    public async Task<AuthRole> GetRoleAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, RolePath(name)) { Idempotent = true }, cancellationToken);
        return Deserialize(response, AuthJsonContext.Default.AuthRole);
    }

    public Task AddRoleAsync(string name, CancellationToken cancellationToken = default) =>
        PutRoleAsync(new AuthRole { Role = name, Permissions = new AuthPermissions { Kv = new AuthKeyPermissions() } }, cancellationToken);

    public Task RemoveRoleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(new EtcdRequest(HttpMethod.Delete, RolePath(name)), cancellationToken);

    /// <summary>Grants read and/or write on key patterns (a trailing <c>*</c> makes a prefix); returns the role as it is now.</summary>
    public Task<AuthRole> GrantRoleKeysAsync(string name, AuthKeyPermissions keys, CancellationToken cancellationToken = default) =>
        PutRoleAsync(new AuthRole { Role = name, Permissions = new AuthPermissions { Kv = new AuthKeyPermissions() }, Grant = new AuthPermissions { Kv = keys } }, cancellationToken);

    public Task<AuthRole> RevokeRoleKeysAsync(string name, AuthKeyPermissions keys, CancellationToken cancellationToken = default) =>
        PutRoleAsync(new AuthRole { Role = name, Permissions = new AuthPermissions { Kv = new AuthKeyPermissions() }, Revoke = new AuthPermissions { Kv = keys } }, cancellationToken);

    private async Task PutUserAsync(AuthUser user, CancellationToken cancellationToken) =>
        await SendAsync(new EtcdRequest(HttpMethod.Put, UserPath(user.User!)) { Body = JsonSerializer.Serialize(user, AuthJsonContext.Default.AuthUser), ContentType = JsonType }, cancellationToken);

    private async Task<AuthRole> PutRoleAsync(AuthRole role, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(role, AuthJsonContext.Default.AuthRole);
        var response = await SendAsync(new EtcdRequest(HttpMethod.Put, RolePath(role.Role!)) { Body = body, ContentType = JsonType }, cancellationToken);
        return Deserialize(response, AuthJsonContext.Default.AuthRole);
    }

    private static string UserPath(string name) => "/v2/auth/users/" + GoUrl.EscapePath(name);

    private static string RolePath(string name) => "/v2/auth/roles/" + GoUrl.EscapePath(name);

    private async Task<EtcdResponse> SendAsync(EtcdRequest request, CancellationToken cancellationToken, bool bareStatus = false)
    {
        var response = await _transport.SendAsync(request, cancellationToken);
        if ((int)response.Status >= 300)
        {
            var status = (int)response.Status;
            throw new AuthApiException(status, bareStatus ? $"unexpected status code {status}" : MembersApiException.ExtractMessage(response.Body));
        }

        return response;
    }

    private static T Deserialize<T>(EtcdResponse response, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(response.Body, typeInfo) ?? throw new AuthApiException((int)response.Status, "empty answer");
}

/// <summary>A refused auth request: etcd's <c>{"message": "..."}</c>, e.g. <c>auth: User x does not exist.</c></summary>
public sealed class AuthApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
