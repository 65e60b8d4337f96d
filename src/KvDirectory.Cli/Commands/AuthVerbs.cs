using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// What the <c>user</c>, <c>role</c> and <c>auth</c> verbs share, worded as etcdctl v2: one positional name, and every
/// failure printed as the server's message alone with exit code 1.
/// </summary>
internal static class AuthVerbs
{
    /// <summary>A subcommand whose body gets the auth API and the positional arguments; failures become etcdctl's.</summary>
    public static Command Verb(string name, string description, string argsHelp, Func<KvctlSession, AuthApi, string[], CancellationToken, Task> body, params Option[] options)
    {
        var args = VerbArguments.Create(argsHelp);
        var command = new Command(name, description) { args };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args) ?? [];
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            try
            {
                await body(session, client.Auth, values, deadline.Token);
            }
            catch (Exception exception) when (exception is AuthApiException or ClusterException)
            {
                throw new CliException(exception.Message, ExitCodes.BadArgs, plain: true);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The single name a verb acts on, or etcdctl's complaint.</summary>
    public static string SingleName(string[] values, string complaint) =>
        values.Length == 1 ? values[0] : throw new CliException(complaint, ExitCodes.BadArgs, plain: true);

    public static void NoArguments(string[] values)
    {
        if (values.Length != 0)
        {
            throw new CliException("No arguments accepted", ExitCodes.BadArgs, plain: true);
        }
    }
}
