using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>watch KEY</c>: waits for the next change and prints it; <c>--forever</c> keeps watching and, unlike etcdctl,
/// reconnects with backoff after a disconnect or server restart, resuming after the last printed event.
/// </summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key>");
        var forever = new Option<bool>("--forever", "-f") { Description = "forever watch a key until CTRL+C" };
        var afterIndex = new Option<string>("--after-index") { Description = "watch after the given index", DefaultValueFactory = _ => "0" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "returns all values for key and child keys" };
        var command = new Command("watch", "watch a key for changes") { args, forever, afterIndex, recursive };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var isForever = session.Parse.GetValue(forever);
            var isRecursive = session.Parse.GetValue(recursive);
            var options = new WatchOptions
            {
                AfterIndex = VerbArguments.Number(session.Parse.GetValue(afterIndex), "after-index"),
                Recursive = isRecursive,
                Reconnect = isForever,
            };
            var client = await session.ConnectAsync(cancellationToken);
            await foreach (var response in client.Keys.WatchAsync(key, options, cancellationToken))
            {
                if (response.Node?.Dir == true)
                {
                    continue;
                }

                if (isRecursive)
                {
                    session.Output.WriteLine($"[{response.Action}] {response.Node?.Key}");
                }

                ResponsePrinter.Print(response, session.Format, session.Output);
                // Flushed per event: a consumer reading our pipe must see each event when it happens.
                await session.Output.FlushAsync(cancellationToken);
                if (!isForever)
                {
                    break;
                }
            }

            return ExitCodes.Success;
        }, interruptIsSuccess: true);
        return command;
    }
}
