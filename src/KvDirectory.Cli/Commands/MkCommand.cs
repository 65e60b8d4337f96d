using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>mk KEY VALUE</c>: create only if absent; with <c>--in-order</c>, POST a sequential key inside KEY.</summary>
public static class MkCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key> <value>");
        var inOrder = new Option<bool>("--in-order") { Description = "create in-order key under directory <key>" };
        var ttl = VerbArguments.TtlOption();
        var command = new Command("mk", "make a new key with a given value") { args, inOrder, ttl };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args);
            var key = CommandAction.Required(values, 0, "key");
            var value = CommandAction.ValueOrStdin(values, 1);
            var timeToLive = TimeSpan.FromSeconds(VerbArguments.Number(session.Parse.GetValue(ttl), "ttl"));
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = session.Parse.GetValue(inOrder)
                ? await client.Keys.CreateInOrderAsync(key, value, timeToLive, deadline.Token)
                : await client.Keys.SetAsync(key, value, new SetOptions { Ttl = timeToLive, PrevExist = PrevExistCondition.MustNotExist }, deadline.Token);
            ResponsePrinter.Print(response, session.Format, session.Output);
            return ExitCodes.Success;
        });
        return command;
    }
}
