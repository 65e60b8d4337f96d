using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>rm KEY</c>: DELETE, optionally of a directory, recursively, or compare-and-delete.</summary>
public static class RmCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key>");
        var dir = new Option<bool>("--dir") { Description = "removes the key if it is an empty directory or a key-value pair" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "removes the key and all child keys(if it is a directory)" };
        var withValue = new Option<string>("--with-value") { Description = "previous value" };
        var withIndex = new Option<string>("--with-index") { Description = "previous index", DefaultValueFactory = _ => "0" };
        var command = new Command("rm", "remove a key or a directory") { args, dir, recursive, withValue, withIndex };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var options = new DeleteOptions
            {
                Dir = session.Parse.GetValue(dir),
                Recursive = session.Parse.GetValue(recursive),
                PrevValue = session.Parse.GetValue(withValue),
                PrevIndex = VerbArguments.Number(session.Parse.GetValue(withIndex), "with-index"),
            };
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = await client.Keys.DeleteAsync(key, options, deadline.Token);
            if (response.Node?.Dir != true || session.Format != OutputFormat.Simple)
            {
                ResponsePrinter.Print(response, session.Format, session.Output);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
