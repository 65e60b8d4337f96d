using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>set KEY VALUE</c>: PUT, optionally compare-and-swap on value or index.</summary>
public static class SetCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key> <value>");
        var ttl = VerbArguments.TtlOption();
        var swapWithValue = new Option<string>("--swap-with-value") { Description = "previous value" };
        var swapWithIndex = new Option<string>("--swap-with-index") { Description = "previous index", DefaultValueFactory = _ => "0" };
        var command = new Command("set", "set the value of a key") { args, ttl, swapWithValue, swapWithIndex };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args);
            var key = CommandAction.Required(values, 0, "key");
            var value = CommandAction.ValueOrStdin(values, 1);
            var options = new SetOptions
            {
                Ttl = TimeSpan.FromSeconds(VerbArguments.Number(session.Parse.GetValue(ttl), "ttl")),
                PrevValue = session.Parse.GetValue(swapWithValue),
                PrevIndex = VerbArguments.Number(session.Parse.GetValue(swapWithIndex), "swap-with-index"),
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
