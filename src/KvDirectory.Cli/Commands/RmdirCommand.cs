using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>rmdir KEY</c>: DELETE with dir=true (empty directories only).</summary>
public static class RmdirCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key>");
        var command = new Command("rmdir", "removes the key if it is an empty directory or a key-value pair") { args };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = await client.Keys.DeleteAsync(key, new DeleteOptions { Dir = true }, deadline.Token);
            if (response.Node?.Dir != true || session.Format != OutputFormat.Simple)
            {
                ResponsePrinter.Print(response, session.Format, session.Output);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
