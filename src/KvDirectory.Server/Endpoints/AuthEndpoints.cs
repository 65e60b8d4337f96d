using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KvDirectory.Node.Membership;
using KvDirectory.Protocol.Auth;
using KvDirectory.Server.Auth;
using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary>
/// <c>/v2/auth</c>: users, roles and enabling auth, with etcd 3.4's shapes, statuses and messages. Everything but
/// <c>GET /v2/auth/enable</c> needs the root role once auth is on.
/// </summary>
public static class AuthEndpoints
{
    private const string AuthPrefix = "/v2/auth";

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map(AuthPrefix + "/enable", EnableDisableAsync);
        endpoints.Map(AuthPrefix + "/users", (HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster) =>
            DispatchAsync(context, registry, gate, cluster, isUsers: true));
        endpoints.Map(AuthPrefix + "/users/{**rest}", (HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster) =>
            DispatchAsync(context, registry, gate, cluster, isUsers: true));
        endpoints.Map(AuthPrefix + "/roles", (HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster) =>
            DispatchAsync(context, registry, gate, cluster, isUsers: false));
        endpoints.Map(AuthPrefix + "/roles/{**rest}", (HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster) =>
            DispatchAsync(context, registry, gate, cluster, isUsers: false));
        return endpoints;
    }

    /// <summary>The path's pieces decide before anything else (a bad path is 400 even unauthenticated), as etcd's handler does.</summary>
    private static Task DispatchAsync(HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster, bool isUsers)
    {
        var decoded = GoPathDecodingMiddleware.DecodedPath(context);
        var pieces = GoPath.Clean(decoded[AuthPrefix.Length..]).Split('/');
        return pieces.Length switch
        {
            2 when isUsers => AllUsersAsync(context, registry, gate, cluster),
            2 => AllRolesAsync(context, registry, gate, cluster),
            3 when isUsers => UserAsync(context, registry, gate, cluster, pieces[2]),
            3 => RoleAsync(context, registry, gate, cluster, pieces[2]),
            _ => EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid path"),
        };
    }

    private static async Task EnableDisableAsync(HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster)
    {
        if (!await AdmitAsync(context, cluster, "GET,PUT,DELETE", gate.HasWriteRootAccess))
        {
            return;
        }

        await AnswerAsync(context, async () =>
        {
            var enabled = registry.Enabled;
            switch (context.Request.Method)
            {
                case "GET":
                    await WriteAsync(context, new AuthEnabled { Enabled = enabled }, AuthJsonContext.Default.AuthEnabled);
                    break;
                case "PUT":
                    await registry.EnableAsync(context.RequestAborted);
                    break;
                default:
                    await registry.DisableAsync(context.RequestAborted);
                    break;
            }
        });
    }

    private static async Task AllUsersAsync(HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster)
    {
        if (!await AdmitAsync(context, cluster, "GET", gate.HasRootAccess))
        {
            return;
        }

        var snapshot = registry.Current;
        var users = AuthRegistry.AllUsers(snapshot)
            .Select(name => WithRoles(snapshot, AuthRegistry.GetUser(snapshot, name), skipMissingRoles: true))
            .ToList();
        await WriteAsync(context, new AuthUserCollection { Users = users.Count == 0 ? null : users }, AuthJsonContext.Default.AuthUserCollection);
    }

    private static async Task AllRolesAsync(HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster)
    {
        if (!await AdmitAsync(context, cluster, "GET", gate.HasRootAccess))
        {
            return;
        }

        var snapshot = registry.Current;
        var roles = AuthRegistry.AllRoles(snapshot).Select(name => AuthRegistry.GetRole(snapshot, name)).ToList();
        await WriteAsync(context, new AuthRoleCollection { Roles = roles }, AuthJsonContext.Default.AuthRoleCollection);
    }

    private static async Task UserAsync(HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster, string name)
    {
        if (!await AdmitAsync(context, cluster, "GET,PUT,DELETE", gate.HasRootAccess))
        {
            return;
        }

        await AnswerAsync(context, async () =>
        {
            switch (context.Request.Method)
            {
                case "GET":
                    var snapshot = registry.Current;
                    await WriteAsync(context, WithRoles(snapshot, AuthRegistry.GetUser(snapshot, name), skipMissingRoles: false), AuthJsonContext.Default.AuthUserWithRoles);
                    break;
                case "PUT":
                    await PutUserAsync(context, registry, name);
                    break;
                default:
                    await registry.DeleteUserAsync(name, context.RequestAborted);
                    break;
            }
        });
    }

    private static async Task PutUserAsync(HttpContext context, AuthRegistry registry, string name)
    {
        var request = await ReadAsync(context, AuthJsonContext.Default.AuthUser);
        if (request is null)
        {
            return;
        }

        request = AuthRules.Normalize(request);
        if (request.User != name)
        {
            throw new AuthException(StatusCodes.Status400BadRequest, "User JSON name does not match the name in the URL");
        }

        AuthUser result;
        var created = false;
        if ((request.Grant?.Count ?? 0) == 0 && (request.Revoke?.Count ?? 0) == 0)
        {
            // As etcd: with roles it can only be a create (answered 200 all the same); without, it may be either.
            if ((request.Roles?.Count ?? 0) != 0)
            {
                result = await registry.CreateUserAsync(request, context.RequestAborted);
            }
            else
            {
                (result, created) = await registry.CreateOrUpdateUserAsync(request, context.RequestAborted);
            }
        }
        else
        {
            if ((request.Roles?.Count ?? 0) != 0)
            {
                throw new AuthException(StatusCodes.Status400BadRequest, "User JSON contains both roles and grant/revoke");
            }

            result = await registry.UpdateUserAsync(request, context.RequestAborted);
        }

        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        await WriteAsync(context, new AuthUserView { User = result.User, Roles = result.Roles }, AuthJsonContext.Default.AuthUserView);
    }

    private static async Task RoleAsync(HttpContext context, AuthRegistry registry, AuthGate gate, ClusterStateHolder cluster, string name)
    {
        if (!await AdmitAsync(context, cluster, "GET,PUT,DELETE", gate.HasRootAccess))
        {
            return;
        }

        await AnswerAsync(context, async () =>
        {
            switch (context.Request.Method)
            {
                case "GET":
                    await WriteAsync(context, AuthRegistry.GetRole(registry.Current, name), AuthJsonContext.Default.AuthRole);
                    break;
                case "PUT":
                    await PutRoleAsync(context, registry, name);
                    break;
                default:
                    await registry.DeleteRoleAsync(name, context.RequestAborted);
                    break;
            }
        });
    }

    private static async Task PutRoleAsync(HttpContext context, AuthRegistry registry, string name)
    {
        var request = await ReadAsync(context, AuthJsonContext.Default.AuthRole);
        if (request is null)
        {
            return;
        }

        request = AuthRules.Normalize(request);
        if (request.Role != name)
        {
            throw new AuthException(StatusCodes.Status400BadRequest, "Role JSON name does not match the name in the URL");
        }

        AuthRole result;
        if (AuthPermissions.IsEmpty(request.Grant) && AuthPermissions.IsEmpty(request.Revoke))
        {
            await registry.CreateRoleAsync(request, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status201Created;
            result = request;
        }
        else
        {
            if (!AuthPermissions.IsEmpty(request.Permissions))
            {
                throw new AuthException(StatusCodes.Status400BadRequest, "Role JSON contains both permissions and grant/revoke");
            }

            result = await registry.UpdateRoleAsync(request, context.RequestAborted);
        }

        await WriteAsync(context, result, AuthJsonContext.Default.AuthRole);
    }

    /// <summary>A user with its roles expanded; etcd skips roles that are gone in the list, and fails the single GET on them.</summary>
    private static AuthUserWithRoles WithRoles(AuthSnapshot snapshot, AuthUser user, bool skipMissingRoles)
    {
        var roles = new List<AuthRole>();
        foreach (var roleName in user.Roles ?? [])
        {
            if (snapshot.FindRole(roleName) is { } role)
            {
                roles.Add(role);
            }
            else if (!skipMissingRoles)
            {
                throw AuthException.Of(StatusCodes.Status404NotFound, $"Role {roleName} does not exist.");
            }
        }

        return new AuthUserWithRoles { User = user.User, Roles = roles.Count == 0 ? null : roles };
    }

    /// <summary>The method check, then the access check (401 <c>Insufficient credentials</c>), then etcd's headers.</summary>
    private static async Task<bool> AdmitAsync(HttpContext context, ClusterStateHolder cluster, string allowed, Func<HttpContext, bool> hasAccess)
    {
        if (!allowed.Split(',').Contains(context.Request.Method, StringComparer.Ordinal))
        {
            await EtcdResponses.WriteMethodNotAllowedAsync(context, allowed);
            return false;
        }

        if (!hasAccess(context))
        {
            await AuthResponses.WriteNoAuthAsync(context);
            return false;
        }

        context.Response.Headers[EtcdHeaders.ClusterId] = MemberId.Format(cluster.Current.ClusterId);
        context.Response.ContentType = EtcdHeaders.JsonContentType;
        return true;
    }

    private static async Task AnswerAsync(HttpContext context, Func<Task> answer)
    {
        try
        {
            await answer();
        }
        catch (AuthException error)
        {
            await EtcdResponses.WriteMessageErrorAsync(context, error.Status, error.Message);
        }
    }

    /// <summary>
    /// Go's <c>json.Decoder.Decode</c>: the first JSON value of the body, whatever follows it; anything else is 400.
    /// Null once an answer was written (a body over <c>--max-request-bytes</c>).
    /// </summary>
    private static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        using var body = await MessageBody.ReadAsync(context);
        if (body is null)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body.GetBuffer().AsSpan(0, (int)body.Length), new JsonReaderOptions { AllowMultipleValues = true });
            var value = JsonSerializer.Deserialize(ref reader, type);
            return value ?? Activator.CreateInstance<T>();
        }
        catch (JsonException)
        {
            throw new AuthException(StatusCodes.Status400BadRequest, "Invalid JSON in request body.");
        }
    }

    private static Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type) =>
        EtcdResponses.WriteJsonAsync(context.Response, value, type);
}
