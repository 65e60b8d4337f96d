using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>updatedir KEY</c>: a directory PUT with prevExist=true (changes its TTL); silent in simple output.</summary>
public static class UpdateDirCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key>");
        var ttl = VerbArguments.TtlOption();
        var command = new Command("updatedir", "update an existing directory") { args, ttl };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var options = new SetOptions
            {
                Dir = true,
                PrevExist = PrevExistCondition.MustExist,
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
