using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>update KEY VALUE</c>: PUT with prevExist=true.</summary>
public static class UpdateCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key> <value>");
        var ttl = VerbArguments.TtlOption();
        var command = new Command("update", "update an existing key with a given value") { args, ttl };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args);
            var key = CommandAction.Required(values, 0, "key");
            var value = CommandAction.ValueOrStdin(values, 1);
            var options = new SetOptions
            {
                PrevExist = PrevExistCondition.MustExist,
                Ttl = TimeSpan.FromSeconds(VerbArguments.Number(session.Parse.GetValue(ttl), "ttl")),
            };
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = await client.Keys.SetAsync(key, value, options, deadline.Token);
            ResponsePrinter.Print(response, session.Format, session.Output);
            return ExitCodes.Success;
        });
        return command;
    }
}
