using System.Text.Json;
using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Protocol.Auth;
using KvDirectory.Store;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Auth;

/// <summary>
/// Users, roles and the enabled flag with etcd's v2 auth semantics and messages. Reads come from the replicated auth
/// namespace of the local store (parsed once per change); writes are log commands, so every member applies them at
/// the same position. Read-modify-write operations first wait for a read barrier, as etcd reads with quorum there.
/// </summary>
public sealed class AuthRegistry(V2Store store, ICommandLog log, PasswordVerifier passwords)
{
    private AuthSnapshot _snapshot = AuthSnapshot.Parse(store.ReadAuth());

    /// <summary>The current parsed state; rebuilt only when the namespace changed since the last call.</summary>
    public AuthSnapshot Current
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (store.AuthChangedIndex == snapshot.ChangedIndex)
            {
                return snapshot;
            }

            var fresh = AuthSnapshot.Parse(store.ReadAuth());
            foreach (var (name, user) in snapshot.Users)
            {
                if (!fresh.Users.TryGetValue(name, out var now) || now.Password != user.Password)
                {
                    passwords.Forget(name);
                }
            }

            Volatile.Write(ref _snapshot, fresh);
            return fresh;
        }
    }

    public bool Enabled => Current.Enabled;

    public static IReadOnlyList<string> AllUsers(AuthSnapshot snapshot) => [.. snapshot.Users.Keys.Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> AllRoles(AuthSnapshot snapshot) =>
        [.. snapshot.Roles.Keys.Append(AuthRules.RootName).Order(StringComparer.Ordinal)];

    public static AuthUser GetUser(AuthSnapshot snapshot, string name) =>
        snapshot.Users.TryGetValue(name, out var user)
            ? user
            : throw AuthException.Of(StatusCodes.Status404NotFound, $"User {name} does not exist.");

    public static AuthRole GetRole(AuthSnapshot snapshot, string name) =>
        snapshot.FindRole(name) ?? throw AuthException.Of(StatusCodes.Status404NotFound, $"Role {name} does not exist.");

    public async Task<AuthUser> CreateUserAsync(AuthUser user, CancellationToken cancellationToken)
    {
        user = AuthRules.WithRootRole(user);
        if (string.IsNullOrEmpty(user.Password))
        {
            throw AuthException.Of(StatusCodes.Status400BadRequest, $"Cannot create user {user.User} with an empty password");
        }

        // Go omits empty grant/revoke lists when it stores the user (omitempty).
        var stored = user with { Password = PasswordVerifier.Hash(user.Password), Grant = null, Revoke = null };
        try
        {
            await PutAsync("/users/" + user.User, Serialize(stored, AuthJsonContext.Default.AuthUser), prevExist: false, cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.NodeExist)
        {
            throw AuthException.Of(StatusCodes.Status409Conflict, $"User {user.User} already exists.");
        }

        return stored;
    }

    /// <summary>A request with only a password may mean either; etcd updates when the user exists.</summary>
    public async Task<(AuthUser User, bool Created)> CreateOrUpdateUserAsync(AuthUser user, CancellationToken cancellationToken)
    {
        await log.WaitForReadBarrierAsync(cancellationToken);
        return Current.Users.ContainsKey(user.User!)
            ? (await UpdateUserAsync(user, cancellationToken), false)
            : (await CreateUserAsync(user, cancellationToken), true);
    }

    public async Task<AuthUser> UpdateUserAsync(AuthUser request, CancellationToken cancellationToken)
    {
        await log.WaitForReadBarrierAsync(cancellationToken);
        var old = GetUser(Current, request.User!);
        var updated = AuthRules.Merge(old, request, string.IsNullOrEmpty(request.Password) ? null : PasswordVerifier.Hash(request.Password));
        if (AuthRules.SameUser(old, updated))
        {
            throw AuthException.Of(StatusCodes.Status400BadRequest, "User not updated. Use grant/revoke/password to update the user.");
        }

        await PutAsync("/users/" + request.User, Serialize(updated, AuthJsonContext.Default.AuthUser), prevExist: true, cancellationToken);
        return updated;
    }

    public async Task DeleteUserAsync(string name, CancellationToken cancellationToken)
    {
        if (Enabled && name == AuthRules.RootName)
        {
            throw AuthException.Of(StatusCodes.Status403Forbidden, "Cannot delete root user while auth is enabled.");
        }

        try
        {
            await log.ProposeAsync(new AuthDeleteCommand("/users/" + name), cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            throw AuthException.Of(StatusCodes.Status404NotFound, $"User {name} does not exist");
        }
    }

    public async Task CreateRoleAsync(AuthRole role, CancellationToken cancellationToken)
    {
        if (role.Role == AuthRules.RootName)
        {
            throw AuthException.Of(StatusCodes.Status403Forbidden, $"Cannot modify role {role.Role}: is root role.");
        }

        try
        {
            await PutAsync("/roles/" + role.Role, Serialize(role, AuthJsonContext.Default.AuthRole), prevExist: false, cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.NodeExist)
        {
            throw AuthException.Of(StatusCodes.Status409Conflict, $"Role {role.Role} already exists.");
        }
    }

    public async Task<AuthRole> UpdateRoleAsync(AuthRole request, CancellationToken cancellationToken)
    {
        if (request.Role == AuthRules.RootName)
        {
            throw AuthException.Of(StatusCodes.Status403Forbidden, $"Cannot modify role {request.Role}: is root role.");
        }

        await log.WaitForReadBarrierAsync(cancellationToken);
        var old = GetRole(Current, request.Role!);
        var updated = AuthRules.Merge(old, request);
        if (AuthRules.SameRole(old, updated))
        {
            throw AuthException.Of(StatusCodes.Status400BadRequest, "Role not updated. Use grant/revoke to update the role.");
        }

        await PutAsync("/roles/" + request.Role, Serialize(updated, AuthJsonContext.Default.AuthRole), prevExist: true, cancellationToken);
        return updated;
    }

    public async Task DeleteRoleAsync(string name, CancellationToken cancellationToken)
    {
        if (name == AuthRules.RootName)
        {
            throw AuthException.Of(StatusCodes.Status403Forbidden, $"Cannot modify role {name}: is root role.");
        }

        try
        {
            await log.ProposeAsync(new AuthDeleteCommand("/roles/" + name), cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            throw AuthException.Of(StatusCodes.Status404NotFound, $"Role {name} doesn't exist.");
        }
    }

    /// <summary>Needs a root user; makes the default guest role (everything allowed) when none exists.</summary>
    public async Task EnableAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            throw AuthException.Of(StatusCodes.Status409Conflict, "already enabled");
        }

        await log.WaitForReadBarrierAsync(cancellationToken);
        if (!Current.Users.ContainsKey(AuthRules.RootName))
        {
            throw AuthException.Of(StatusCodes.Status409Conflict, "No root user available, please create one");
        }

        if (!Current.Roles.ContainsKey(AuthRules.GuestName))
        {
            await CreateRoleAsync(AuthRules.DefaultGuestRole, cancellationToken);
        }

        await PutAsync("/enabled", "true", prevExist: true, cancellationToken);
    }

    public async Task DisableAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            throw AuthException.Of(StatusCodes.Status409Conflict, "already disabled");
        }

        await PutAsync("/enabled", "false", prevExist: true, cancellationToken);
    }

    private Task PutAsync(string resource, string value, bool prevExist, CancellationToken cancellationToken) =>
        log.ProposeAsync(new AuthPutCommand(resource, value, prevExist), cancellationToken);

    private static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);
}
