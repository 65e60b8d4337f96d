using System.Text.Json;
using KvDirectory.Protocol.Auth;
using KvDirectory.Store;

namespace KvDirectory.Server.Auth;

/// <summary>The auth namespace parsed once per change: every request's check reads this, never the JSON.</summary>
public sealed class AuthSnapshot
{
    private AuthSnapshot(long changedIndex, bool enabled, Dictionary<string, AuthUser> users, Dictionary<string, AuthRole> roles)
    {
        ChangedIndex = changedIndex;
        Enabled = enabled;
        Users = users;
        Roles = roles;
    }

    public long ChangedIndex { get; }

    public bool Enabled { get; }

    /// <summary>Stored users by name (the root user with its root role attached).</summary>
    public IReadOnlyDictionary<string, AuthUser> Users { get; }

    /// <summary>Stored roles by name; root is not stored (<see cref="AuthRules.RootRole"/>).</summary>
    public IReadOnlyDictionary<string, AuthRole> Roles { get; }

    public static AuthSnapshot Parse(AuthNamespace stored)
    {
        var users = new Dictionary<string, AuthUser>(StringComparer.Ordinal);
        foreach (var (name, json) in stored.Users)
        {
            if (TryParse(json, AuthJsonContext.Default.AuthUser) is { } user)
            {
                users[name] = AuthRules.WithRootRole(AuthRules.Normalize(user));
            }
        }

        var roles = new Dictionary<string, AuthRole>(StringComparer.Ordinal);
        foreach (var (name, json) in stored.Roles)
        {
            if (TryParse(json, AuthJsonContext.Default.AuthRole) is { } role)
            {
                roles[name] = AuthRules.Normalize(role);
            }
        }

        // As etcd, a flag that is not a JSON boolean reads as off.
        var enabled = stored.Enabled is { } flag && TryParse(flag, AuthJsonContext.Default.Boolean);
        return new AuthSnapshot(stored.ChangedIndex, enabled, users, roles);
    }

    public AuthRole? FindRole(string name) =>
        name == AuthRules.RootName ? AuthRules.RootRole : Roles.GetValueOrDefault(name);

    private static T? TryParse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
