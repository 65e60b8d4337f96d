using System.CommandLine;

namespace KvDirectory.Cli.Commands;

/// <summary><c>put KEY VALUE</c>: an unconditional set that prints "OK", as etcdctl v3 does.</summary>
public static class PutCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key> <value>");
        var command = new Command("put", "put the given key into the store") { args };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args);
            var key = CommandAction.Required(values, 0, "key");
            var value = CommandAction.ValueOrStdin(values, 1);
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = await client.Keys.SetAsync(key, value, cancellationToken: deadline.Token);
            if (session.Format == OutputFormat.Json)
            {
                session.Output.WriteLine(GoJson.Event(response));
            }
            else
            {
                session.Output.WriteLine("OK");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
