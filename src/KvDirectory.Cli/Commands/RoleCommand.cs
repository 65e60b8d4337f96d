using System.CommandLine;
using KvDirectory.Client;
using KvDirectory.Protocol.Auth;

namespace KvDirectory.Cli.Commands;

/// <summary><c>role add|get|list|remove|grant|revoke</c> with etcdctl v2's flags (<c>--path</c>, <c>--read|--write|--readwrite</c>) and output.</summary>
public static class RoleCommand
{
    private const string NeedName = "Please provide a role name";

    public static Command Create()
    {
        var command = new Command("role", "role add, grant and revoke subcommands");
        command.Subcommands.Add(AuthVerbs.Verb("add", "add a new role for the etcd cluster", "<role>", async (session, api, args, token) =>
        {
            var name = AuthVerbs.SingleName(args, NeedName);
            if (await ExistsAsync(api, name, token))
            {
                throw new CliException($"Role {name} already exists", ExitCodes.BadArgs, plain: true);
            }

            await api.AddRoleAsync(name, token);
            session.Output.WriteLine($"Role {name} created");
        }));
        command.Subcommands.Add(AuthVerbs.Verb("get", "get details for a role", "<role>", async (session, api, args, token) =>
        {
            var role = await api.GetRoleAsync(AuthVerbs.SingleName(args, NeedName), token);
            session.Output.WriteLine($"Role: {role.Role}");
            session.Output.WriteLine("KV Read:");
            foreach (var pattern in role.Permissions?.Kv?.Read ?? [])
            {
                session.Output.WriteLine("\t" + pattern);
            }

            session.Output.WriteLine("KV Write:");
            foreach (var pattern in role.Permissions?.Kv?.Write ?? [])
            {
                session.Output.WriteLine("\t" + pattern);
            }
        }));
        command.Subcommands.Add(AuthVerbs.Verb("list", "list all roles", "<role>", async (session, api, args, token) =>
        {
            AuthVerbs.NoArguments(args);
            foreach (var role in await api.ListRolesAsync(token))
            {
                session.Output.WriteLine(role);
            }
        }));
        command.Subcommands.Add(AuthVerbs.Verb("remove", "remove a role from the etcd cluster", "<role>", async (session, api, args, token) =>
        {
            var name = AuthVerbs.SingleName(args, NeedName);
            await api.RemoveRoleAsync(name, token);
            session.Output.WriteLine($"Role {name} removed");
        }));
        command.Subcommands.Add(GrantOrRevoke("grant", "grant path matches to an etcd role", "Path granted for the role to access", grant: true));
        command.Subcommands.Add(GrantOrRevoke("revoke", "revoke path matches for an etcd role", "Path revoked for the role to access", grant: false));
        return command;
    }

    private static async Task<bool> ExistsAsync(AuthApi api, string name, CancellationToken cancellationToken)
    {
        try
        {
            await api.GetRoleAsync(name, cancellationToken);
            return true;
        }
        catch (AuthApiException)
        {
            return false;
        }
    }

    private static Command GrantOrRevoke(string verb, string description, string pathHelp, bool grant)
    {
        var path = new Option<string?>("--path") { Description = pathHelp };
        var read = new Option<bool>("--read") { Description = "Grant read-only access" };
        var write = new Option<bool>("--write") { Description = "Grant write-only access" };
        var readWrite = new Option<bool>("--readwrite", "--rw", "-rw") { Description = "Grant read-write access" };
        return AuthVerbs.Verb(verb, description, "<role>", async (session, api, args, token) =>
        {
            var pattern = session.Parse.GetValue(path) ?? string.Empty;
            if (pattern.Length == 0)
            {
                throw new CliException("No path specified; please use `--path`", ExitCodes.BadArgs, plain: true);
            }

            if (CanonicalUrlPath(pattern) != pattern)
            {
                throw new CliException($"Not canonical path; please use `--path={CanonicalUrlPath(pattern)}`", ExitCodes.BadArgs, plain: true);
            }

            var (r, w, rw) = (session.Parse.GetValue(read), session.Parse.GetValue(write), session.Parse.GetValue(readWrite));
            if ((r ? 1 : 0) + (w ? 1 : 0) + (rw ? 1 : 0) != 1)
            {
                throw new CliException("Please specify exactly one of --read, --write or --readwrite", ExitCodes.BadArgs, plain: true);
            }

            var name = AuthVerbs.SingleName(args, NeedName);
            var before = await api.GetRoleAsync(name, token);
            var keys = new AuthKeyPermissions { Read = r || rw ? [pattern] : null, Write = w || rw ? [pattern] : null };
            var after = grant ? await api.GrantRoleKeysAsync(name, keys, token) : await api.RevokeRoleKeysAsync(name, keys, token);
            if (SamePermissions(before, after))
            {
                session.Output.Write(grant ? "Role unchanged; already granted" : "Role unchanged; already revoked");
            }

            session.Output.WriteLine($"Role {name} updated");
        }, path, read, write, readWrite);
    }

    private static bool SamePermissions(AuthRole a, AuthRole b) =>
        (a.Permissions?.Kv?.Read ?? []).SequenceEqual(b.Permissions?.Kv?.Read ?? [])
        && (a.Permissions?.Kv?.Write ?? []).SequenceEqual(b.Permissions?.Kv?.Write ?? []);

    /// <summary>etcd's pathutil.CanonicalURLPath: rooted, no <c>.</c>/<c>..</c>/empty components, a trailing slash kept.</summary>
    private static string CanonicalUrlPath(string p)
    {
        if (p.Length == 0)
        {
            return "/";
        }

        if (p[0] != '/')
        {
            p = "/" + p;
        }

        // path.Clean on a rooted path: "." and empty components go, ".." removes its parent (never above the root).
        var kept = new List<string>();
        foreach (var component in p.Split('/'))
        {
            if (component == "..")
            {
                if (kept.Count > 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }
            }
            else if (component is not ("" or "."))
            {
                kept.Add(component);
            }
        }

        var clean = "/" + string.Join('/', kept);
        return p[^1] == '/' && clean != "/" ? clean + "/" : clean;
    }
}
