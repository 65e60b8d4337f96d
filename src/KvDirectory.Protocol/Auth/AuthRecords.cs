using System.Text.Json.Serialization;

namespace KvDirectory.Protocol.Auth;

/// <summary>
/// A v2 user as etcd stores and accepts it. Lists keep Go's nil/empty distinction (null is written as <c>null</c>), since
/// etcd's answers show it. <see cref="Password"/> is the bcrypt hash once stored, the clear text in a request.
/// </summary>
public sealed record AuthUser
{
    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("password")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Password { get; init; }

    [JsonPropertyName("roles")]
    public IReadOnlyList<string>? Roles { get; init; }

    [JsonPropertyName("grant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Grant { get; init; }

    [JsonPropertyName("revoke")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Revoke { get; init; }
}

/// <summary>A v2 role: its key permissions, and in a request the permissions to grant or revoke.</summary>
public sealed record AuthRole
{
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("permissions")]
    public AuthPermissions? Permissions { get; init; }

    [JsonPropertyName("grant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AuthPermissions? Grant { get; init; }

    [JsonPropertyName("revoke")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AuthPermissions? Revoke { get; init; }
}

public sealed record AuthPermissions
{
    [JsonPropertyName("kv")]
    public AuthKeyPermissions? Kv { get; init; }

    /// <summary>etcd's <c>Permissions.IsEmpty</c>: nothing to read or write (null counts as empty).</summary>
    public static bool IsEmpty(AuthPermissions? permissions) =>
        permissions is null || ((permissions.Kv?.Read?.Count ?? 0) == 0 && (permissions.Kv?.Write?.Count ?? 0) == 0);
}

/// <summary>Key patterns: a pattern ending in <c>*</c> is a prefix, any other an exact key.</summary>
public sealed record AuthKeyPermissions
{
    [JsonPropertyName("read")]
    public IReadOnlyList<string>? Read { get; init; }

    [JsonPropertyName("write")]
    public IReadOnlyList<string>? Write { get; init; }
}

/// <summary>A user as <c>GET /v2/auth/users[/name]</c> shows it: its roles expanded (omitted when it has none).</summary>
public sealed record AuthUserWithRoles
{
    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("roles")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AuthRole>? Roles { get; init; }
}

/// <summary>A user as a <c>PUT</c> answers it: no password, role names only.</summary>
public sealed record AuthUserView
{
    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("roles")]
    public IReadOnlyList<string>? Roles { get; init; }
}

public sealed record AuthUserCollection
{
    [JsonPropertyName("users")]
    public IReadOnlyList<AuthUserWithRoles>? Users { get; init; }
}

public sealed record AuthRoleCollection
{
    [JsonPropertyName("roles")]
    public IReadOnlyList<AuthRole>? Roles { get; init; }
}

public sealed record AuthEnabled
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }
}

/// <summary>etcd's non-key error body (<c>httptypes.HTTPError</c>): <c>{"message":"…"}</c>.</summary>
public sealed record AuthErrorBody
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}

/// <summary>
/// Auth JSON: every member written (Go's encoding/json writes nil slices as null, omits only what is omitempty), names
/// matched case-insensitively on input as Go's decoder does.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AuthUser))]
[JsonSerializable(typeof(AuthRole))]
[JsonSerializable(typeof(AuthUserWithRoles))]
[JsonSerializable(typeof(AuthUserView))]
[JsonSerializable(typeof(AuthUserCollection))]
[JsonSerializable(typeof(AuthRoleCollection))]
[JsonSerializable(typeof(AuthEnabled))]
[JsonSerializable(typeof(AuthErrorBody))]
[JsonSerializable(typeof(bool))]
public sealed partial class AuthJsonContext : JsonSerializerContext;
