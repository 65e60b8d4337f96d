using KvDirectory.Protocol.Auth;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Auth;

/// <summary>
/// The pure rules of etcd's v2 auth: the built-in roles, key matching, and how a grant/revoke request merges into a
/// stored user or role (sets: duplicates refused, results sorted).
/// </summary>
public static class AuthRules
{
    public const string RootName = "root";
    public const string GuestName = "guest";

    private static readonly AuthPermissions Everything = new()
    {
        Kv = new AuthKeyPermissions { Read = ["/*"], Write = ["/*"] },
    };

    /// <summary>The root role is fixed, never stored: it may do everything.</summary>
    public static AuthRole RootRole { get; } = new() { Role = RootName, Permissions = Everything };

    /// <summary>What enabling auth creates when no guest role exists: unauthenticated requests may do everything.</summary>
    public static AuthRole DefaultGuestRole { get; } = new() { Role = GuestName, Permissions = Everything };

    /// <summary>
    /// Whether the role lets <paramref name="key"/> be read or written. Non-recursive requests match exact patterns and
    /// prefixes (<c>/a*</c>); recursive ones only prefixes, which cover everything beneath.
    /// </summary>
    public static bool HasKeyAccess(AuthRole role, string key, bool write, bool recursive)
    {
        if (role.Role == RootName)
        {
            return true;
        }

        var patterns = write ? role.Permissions?.Kv?.Write : role.Permissions?.Kv?.Read;
        foreach (var pattern in patterns ?? [])
        {
            if (pattern.Length == 0)
            {
                continue;
            }

            var isPrefix = pattern[^1] == '*';
            if (isPrefix ? key.StartsWith(pattern[..^1], StringComparison.Ordinal) : !recursive && key == pattern)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The root user always has the root role, stored or not.</summary>
    public static AuthUser WithRootRole(AuthUser user) =>
        user.User == RootName && !(user.Roles ?? []).Contains(RootName)
            ? user with { Roles = [.. user.Roles ?? [], RootName] }
            : user;

    /// <summary>A role as Go decodes it: permissions are a value (never null), grant/revoke pointers keep null.</summary>
    public static AuthRole Normalize(AuthRole role) => role with
    {
        Role = role.Role ?? string.Empty,
        Permissions = Normalize(role.Permissions),
        Grant = role.Grant is null ? null : Normalize(role.Grant),
        Revoke = role.Revoke is null ? null : Normalize(role.Revoke),
    };

    public static AuthUser Normalize(AuthUser user) => user with { User = user.User ?? string.Empty, Password = user.Password ?? string.Empty };

    /// <summary>Applies a user request's new password (already hashed, or null to keep), grants and revokes.</summary>
    public static AuthUser Merge(AuthUser stored, AuthUser request, string? newHash)
    {
        var roles = new HashSet<string>(stored.Roles ?? [], StringComparer.Ordinal);
        foreach (var grant in request.Grant ?? [])
        {
            if (!roles.Add(grant))
            {
                throw AuthException.Of(StatusCodes.Status409Conflict, $"Granting duplicate role {grant} for user {request.User}");
            }
        }

        foreach (var revoke in request.Revoke ?? [])
        {
            if (!roles.Remove(revoke))
            {
                throw AuthException.Of(StatusCodes.Status409Conflict, $"Revoking ungranted role {revoke} for user {request.User}");
            }
        }

        return new AuthUser { User = stored.User, Password = newHash ?? stored.Password, Roles = Sorted(roles) };
    }

    public static AuthRole Merge(AuthRole stored, AuthRole request)
    {
        var permissions = stored.Permissions!;
        if (request.Grant is { } grant)
        {
            permissions = new AuthPermissions { Kv = Grant(permissions.Kv!, grant.Kv!) };
        }

        if (request.Revoke is { } revoke)
        {
            permissions = new AuthPermissions { Kv = Revoke(permissions.Kv!, revoke.Kv!) };
        }

        return new AuthRole { Role = stored.Role, Permissions = permissions };
    }

    /// <summary>Go's reflect.DeepEqual on the stored forms: a nil list differs from an empty one.</summary>
    public static bool SameUser(AuthUser a, AuthUser b) =>
        a.User == b.User && a.Password == b.Password && SameList(a.Roles, b.Roles) && SameList(a.Grant, b.Grant) && SameList(a.Revoke, b.Revoke);

    public static bool SameRole(AuthRole a, AuthRole b) =>
        a.Role == b.Role && SamePermissions(a.Permissions, b.Permissions) && SamePermissions(a.Grant, b.Grant) && SamePermissions(a.Revoke, b.Revoke);

    private static AuthPermissions Normalize(AuthPermissions? permissions) => new()
    {
        Kv = new AuthKeyPermissions { Read = permissions?.Kv?.Read, Write = permissions?.Kv?.Write },
    };

    private static AuthKeyPermissions Grant(AuthKeyPermissions current, AuthKeyPermissions add)
    {
        var read = new HashSet<string>(current.Read ?? [], StringComparer.Ordinal);
        foreach (var pattern in add.Read ?? [])
        {
            if (!read.Add(pattern))
            {
                throw AuthException.Of(StatusCodes.Status409Conflict, $"Granting duplicate read permission {pattern}");
            }
        }

        var write = new HashSet<string>(current.Write ?? [], StringComparer.Ordinal);
        foreach (var pattern in add.Write ?? [])
        {
            if (!write.Add(pattern))
            {
                throw AuthException.Of(StatusCodes.Status409Conflict, $"Granting duplicate write permission {pattern}");
            }
        }

        return new AuthKeyPermissions { Read = Sorted(read), Write = Sorted(write) };
    }

    /// <summary>Revoking what was never granted is not an error in etcd (it only logs).</summary>
    private static AuthKeyPermissions Revoke(AuthKeyPermissions current, AuthKeyPermissions remove)
    {
        var read = new HashSet<string>(current.Read ?? [], StringComparer.Ordinal);
        read.ExceptWith(remove.Read ?? []);
        var write = new HashSet<string>(current.Write ?? [], StringComparer.Ordinal);
        write.ExceptWith(remove.Write ?? []);
        return new AuthKeyPermissions { Read = Sorted(read), Write = Sorted(write) };
    }

    /// <summary>Go's set values sorted: an empty set gives an empty list, not nil.</summary>
    private static string[] Sorted(HashSet<string> set)
    {
        var values = set.ToArray();
        Array.Sort(values, StringComparer.Ordinal);
        return values;
    }

    private static bool SamePermissions(AuthPermissions? a, AuthPermissions? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && SameList(a.Kv?.Read, b.Kv?.Read) && SameList(a.Kv?.Write, b.Kv?.Write));

    private static bool SameList(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        (a is null && b is null) || (a is not null && b is not null && a.SequenceEqual(b, StringComparer.Ordinal));
}
