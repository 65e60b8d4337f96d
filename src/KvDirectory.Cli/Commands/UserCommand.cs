using System.CommandLine;

namespace KvDirectory.Cli.Commands;

/// <summary><c>user add|get|list|remove|grant|revoke|passwd</c> with etcdctl v2's arguments, prompts and output.</summary>
public static class UserCommand
{
    private const string NeedName = "Please provide a username";

    public static Command Create()
    {
        var command = new Command("user", "user add, grant and revoke subcommands");
        command.Subcommands.Add(AuthVerbs.Verb("add", "add a new user for the etcd cluster", "<user>", async (session, api, args, token) =>
        {
            // "name:password" gives the password; a bare name prompts for it.
            var given = AuthVerbs.SingleName(args, NeedName);
            var colon = given.IndexOf(':', StringComparison.Ordinal);
            var (name, password) = colon < 0 ? (given, PasswordPrompt.Ask("New password: ")) : (given[..colon], given[(colon + 1)..]);
            await api.AddUserAsync(name, password, token);
            session.Output.WriteLine($"User {name} created");
        }));
        command.Subcommands.Add(AuthVerbs.Verb("get", "get details for a user", "<user>", async (session, api, args, token) =>
        {
            var user = await api.GetUserAsync(AuthVerbs.SingleName(args, NeedName), token);
            session.Output.WriteLine($"User: {user.User}");

            // etcdctl first decodes the roles as strings, which leaves one empty name per role before the real names.
            var roles = (user.Roles ?? []).Select(r => r.Role ?? string.Empty).ToList();
            session.Output.WriteLine($"Roles: {string.Join(' ', roles.Select(_ => string.Empty).Concat(roles))}");
        }));
        command.Subcommands.Add(AuthVerbs.Verb("list", "list all current users", "<user>", async (session, api, args, token) =>
        {
            AuthVerbs.NoArguments(args);
            foreach (var user in await api.ListUsersAsync(token))
            {
                session.Output.WriteLine(user);
            }
        }));
        command.Subcommands.Add(AuthVerbs.Verb("remove", "remove a user for the etcd cluster", "<user>", async (session, api, args, token) =>
        {
            var name = AuthVerbs.SingleName(args, NeedName);
            await api.RemoveUserAsync(name, token);
            session.Output.WriteLine($"User {name} removed");
        }));
        command.Subcommands.Add(GrantOrRevoke("grant", "grant roles to an etcd user", grant: true));
        command.Subcommands.Add(GrantOrRevoke("revoke", "revoke roles for an etcd user", grant: false));
        command.Subcommands.Add(AuthVerbs.Verb("passwd", "change password for a user", "<user>", async (session, api, args, token) =>
        {
            var name = AuthVerbs.SingleName(args, NeedName);
            await api.ChangePasswordAsync(name, PasswordPrompt.Ask("New password: "), token);
            session.Output.WriteLine("Password updated");
        }));
        return command;
    }

    private static Command GrantOrRevoke(string verb, string description, bool grant)
    {
        var roles = new Option<string[]>("--roles") { Description = "List of roles to grant or revoke", AllowMultipleArgumentsPerToken = false };
        return AuthVerbs.Verb(verb, description, "<user>", async (session, api, args, token) =>
        {
            // etcdctl checks the roles before the name.
            var names = session.Parse.GetValue(roles) ?? [];
            if (names.Length == 0)
            {
                throw new CliException("No roles specified; please use `--roles`", ExitCodes.BadArgs, plain: true);
            }

            var user = AuthVerbs.SingleName(args, NeedName);
            if (grant)
            {
                await api.GrantUserAsync(user, names, token);
            }
            else
            {
                await api.RevokeUserAsync(user, names, token);
            }

            session.Output.WriteLine($"User {user} updated");
        }, roles);
    }
}
