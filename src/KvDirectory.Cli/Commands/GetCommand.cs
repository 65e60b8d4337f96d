using System.CommandLine;
using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>get KEY</c> as etcdctl v2 (a directory is an error, exit 1); with <c>--prefix</c>, the sorted recursive
/// listing as etcdctl v3 prints it: key line, value line (empty with <c>--keys-only</c>).
/// </summary>
public static class GetCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key>");
        var sort = new Option<bool>("--sort") { Description = "returns result in sorted order" };
        var quorum = new Option<bool>("--quorum", "-q") { Description = "require quorum for get request" };
        var prefix = new Option<bool>("--prefix") { Description = "every key under KEY (recursively), printed as key and value lines" };
        var keysOnly = new Option<bool>("--keys-only") { Description = "with --prefix: print only the keys" };
        var command = new Command("get", "retrieve the value of a key") { args, sort, quorum, prefix, keysOnly };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = CommandAction.Required(session.Parse.GetValue(args), 0, "key");
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            if (session.Parse.GetValue(prefix) || session.Parse.GetValue(keysOnly))
            {
                return await PrintPrefixAsync(session, client, key, session.Parse.GetValue(quorum), session.Parse.GetValue(keysOnly), deadline.Token);
            }

            var response = await client.Keys.GetAsync(key, new GetOptions { Sorted = session.Parse.GetValue(sort), Quorum = session.Parse.GetValue(quorum) }, deadline.Token);
            if (response.Node?.Dir == true)
            {
                session.Error.WriteLine($"{response.Node.Key}: is a directory");
                return ExitCodes.BadArgs;
            }

            ResponsePrinter.Print(response, session.Format, session.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> PrintPrefixAsync(KvctlSession session, EtcdClient client, string key, bool quorum, bool keysOnly, CancellationToken cancellationToken)
    {
        EtcdEvent response;
        try
        {
            response = await client.Keys.GetAsync(key, new GetOptions { Recursive = true, Sorted = true, Quorum = quorum }, cancellationToken);
        }
        catch (EtcdException exception) when (exception.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            // A prefix with nothing under it is an empty answer, as in etcdctl v3.
            return ExitCodes.Success;
        }

        if (session.Format == OutputFormat.Json)
        {
            session.Output.WriteLine(GoJson.Event(response));
            return ExitCodes.Success;
        }

        foreach (var leaf in LeafKeys.Of(response.Node))
        {
            session.Output.WriteLine(leaf.Key);
            session.Output.WriteLine(keysOnly ? string.Empty : leaf.Value);
        }

        return ExitCodes.Success;
    }
}
