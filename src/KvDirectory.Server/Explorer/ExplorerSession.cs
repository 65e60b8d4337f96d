using KvDirectory.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Explorer;

/// <summary>
/// <c>/ui/api/session</c>: whether auth is on, who the request's credentials name, and the key patterns that user (or
/// the guest, without credentials) may read and write, so the page can ask for a login, check a sign-in, and disable
/// what the server would refuse. Wrong credentials get etcd's keys refusal (401, error 110). Only the requester's own
/// permissions are told, never another user's.
/// </summary>
public static class ExplorerSession
{
    public static IEndpointRouteBuilder MapExplorerSession(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ui/api/session", AnswerAsync);
        return endpoints;
    }

    private static Task AnswerAsync(HttpContext context, AuthGate gate, AuthRegistry registry)
    {
        if (!gate.TryIdentify(context, out var user))
        {
            return AuthResponses.WriteKeyNoAuthAsync(context);
        }

        var snapshot = registry.Current;
        if (!snapshot.Enabled)
        {
            return ExplorerEndpoints.WriteAsync(context, new SessionView(false, null, false, ["/*"], ["/*"]), ExplorerJsonContext.Default.SessionView);
        }

        var roleNames = user is null ? [AuthRules.GuestName] : user.Roles ?? [];
        var read = new SortedSet<string>(StringComparer.Ordinal);
        var write = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var role in roleNames.Select(snapshot.FindRole).OfType<Protocol.Auth.AuthRole>())
        {
            read.UnionWith(role.Permissions?.Kv?.Read ?? []);
            write.UnionWith(role.Permissions?.Kv?.Write ?? []);
        }

        var root = roleNames.Contains(AuthRules.RootName);
        if (root)
        {
            read.Add("/*");
            write.Add("/*");
        }

        return ExplorerEndpoints.WriteAsync(context, new SessionView(true, user?.User, root, [.. read], [.. write]), ExplorerJsonContext.Default.SessionView);
    }
}
