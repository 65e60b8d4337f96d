using System.CommandLine;

namespace KvDirectory.Cli.Commands;

/// <summary><c>auth enable|disable</c>, as etcdctl v2.</summary>
public static class AuthCommand
{
    public static Command Create()
    {
        var command = new Command("auth", "overall auth controls");
        command.Subcommands.Add(AuthVerbs.Verb("enable", "enable auth access controls", " ", async (session, api, args, token) =>
        {
            AuthVerbs.NoArguments(args);
            await api.EnableAsync(token);
            session.Output.WriteLine("Authentication Enabled");
        }));
        command.Subcommands.Add(AuthVerbs.Verb("disable", "disable auth access controls", " ", async (session, api, args, token) =>
        {
            AuthVerbs.NoArguments(args);
            await api.DisableAsync(token);
            session.Output.WriteLine("Authentication Disabled");
        }));
        return command;
    }
}
