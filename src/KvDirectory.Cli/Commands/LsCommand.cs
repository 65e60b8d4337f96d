using System.CommandLine;
using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Commands;

/// <summary><c>ls [KEY]</c>: the keys of a directory, optionally recursive, sorted, with a slash after directories (<c>-p</c>).</summary>
public static class LsCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("[key]");
        var sort = new Option<bool>("--sort") { Description = "returns result in sorted order" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "returns all key names recursively for the given path" };
        var slash = new Option<bool>("-p") { Description = "append slash (/) to directories" };
        var quorum = new Option<bool>("--quorum", "-q") { Description = "require quorum for get request" };
        var command = new Command("ls", "retrieve a directory") { args, sort, recursive, slash, quorum };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args);
            var key = values is { Length: > 0 } ? values[0] : "/";
            var options = new GetOptions
            {
                Sorted = session.Parse.GetValue(sort),
                Recursive = session.Parse.GetValue(recursive),
                Quorum = session.Parse.GetValue(quorum),
            };
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var response = await client.Keys.GetAsync(key, options, deadline.Token);
            if (session.Format is OutputFormat.Simple or OutputFormat.Table)
            {
                var node = response.Node ?? new EtcdNode();
                if (!node.Dir)
                {
                    session.Output.WriteLine(node.Key);
                }

                foreach (var child in node.Nodes ?? [])
                {
                    PrintTree(session.Output, child, session.Parse.GetValue(slash));
                }
            }
            else
            {
                ResponsePrinter.Print(response, session.Format, session.Output);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintTree(TextWriter output, EtcdNode node, bool slashAfterDirectories)
    {
        output.WriteLine(node.Dir && slashAfterDirectories ? node.Key + "/" : node.Key);
        foreach (var child in node.Nodes ?? [])
        {
            PrintTree(output, child, slashAfterDirectories);
        }
    }
}
