using System.CommandLine;
using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Commands;

/// <summary><c>del KEY [--prefix]</c>: prints how many keys were deleted (0 when there was none), as etcdctl v3 does.</summary>
public static class DelCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key>");
        var prefix = new Option<bool>("--prefix") { Description = "delete KEY and everything under it" };
        var command = new Command("del", "remove the given key or everything under a prefix") { args, prefix };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var recursive = session.Parse.GetValue(prefix);
            try
            {
                var count = 1;
                if (recursive)
                {
                    // The v2 DELETE answer names only the top node: count the keys first to report them.
                    var listing = await client.Keys.GetAsync(key, new GetOptions { Recursive = true }, deadline.Token);
                    count = LeafKeys.Of(listing.Node).Count();
                }

                await client.Keys.DeleteAsync(key, new DeleteOptions { Recursive = recursive }, deadline.Token);
                session.Output.WriteLine(count);
            }
            catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.KeyNotFound)
            {
                session.Output.WriteLine(0);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
