using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>mkdir KEY</c> (must not exist) and <c>setdir KEY</c> (create or refresh): a directory PUT; silent in simple output.</summary>
public static class MkdirCommand
{
    public static Command Create(string name, string description, PrevExistCondition prevExist)
    {
        var args = VerbArguments.Create("<key>");
        var ttl = VerbArguments.TtlOption();
        var command = new Command(name, description) { args, ttl };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var options = new SetOptions
            {
                Dir = true,
                PrevExist = prevExist,
                Ttl = TimeSpan.FromSeconds(VerbArguments.Number(session.Parse.GetValue(ttl), "ttl")),
            };
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = await client.Keys.SetAsync(key, string.Empty, options, deadline.Token);
            if (session.Format != OutputFormat.Simple)
            {
                ResponsePrinter.Print(response, session.Format, session.Output);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
