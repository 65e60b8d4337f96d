using System.CommandLine;
using System.Text.Json;
using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Commands;

/// <summary><c>member list|add|remove|update</c>, worded as etcdctl v2; <c>list -w table|json|simple</c> as etcdctl v3.</summary>
public static class MemberCommand
{
    public static Command Create()
    {
        var command = new Command("member", "member add, remove and list subcommands");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreateUpdate());
        return command;
    }

    private static Command CreateList()
    {
        var args = VerbArguments.Create(" ");
        var writeOut = new Option<string?>("--write-out", "-w") { Description = "table, json or simple (etcdctl v3 formats); default: etcdctl v2's lines" };
        var command = new Command("list", "enumerate existing cluster members") { args, writeOut };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            if (session.Parse.GetValue(args) is { Length: > 0 })
            {
                throw new CliException("No arguments accepted", plain: true);
            }

            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            IReadOnlyList<Member> members;
            try
            {
                members = await client.Members.ListAsync(deadline.Token);
            }
            catch (Exception exception) when (exception is MembersApiException or ClusterException)
            {
                throw new CliException(exception.Message, plain: true);
            }

            var format = session.Parse.GetValue(writeOut) ?? (session.Format == OutputFormat.Table ? OutputFormat.Table : null);
            switch (format)
            {
                case OutputFormat.Table:
                    session.Output.Write(TableWriter.Render(["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"], members.Select(Row).ToList()));
                    break;
                case OutputFormat.Json:
                    session.Output.WriteLine(JsonSerializer.Serialize(new MemberCollection { Members = members }, ProtocolJsonContext.Go.MemberCollection));
                    break;
                case OutputFormat.Simple:
                    foreach (var member in members)
                    {
                        session.Output.WriteLine(string.Join(", ", Row(member)));
                    }

                    break;
                case null:
                    await PrintV2Async(session, client, members, deadline.Token);
                    break;
                default:
                    throw new CliException($"unsupported output format {format}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task PrintV2Async(KvctlSession session, EtcdClient client, IReadOnlyList<Member> members, CancellationToken cancellationToken)
    {
        Member leader;
        try
        {
            leader = await client.Members.LeaderAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is MembersApiException or ClusterException)
        {
            throw new CliException("Failed to get leader:  " + exception.Message, plain: true);
        }

        foreach (var member in members)
        {
            session.Output.WriteLine(member.Name.Length == 0
                ? $"{member.Id}[unstarted]: peerURLs={string.Join(',', member.PeerUrls)}"
                : $"{member.Id}: name={member.Name} peerURLs={string.Join(',', member.PeerUrls)} clientURLs={string.Join(',', member.ClientUrls)} isLeader={(member.Id == leader.Id ? "true" : "false")}");
        }
    }

    private static IReadOnlyList<string> Row(Member member) =>
    [
        member.Id,
        member.Name.Length == 0 ? "unstarted" : "started",
        member.Name,
        string.Join(',', member.PeerUrls),
        string.Join(',', member.ClientUrls),
        "false",
    ];

    private static Command CreateAdd()
    {
        var args = VerbArguments.Create("<name> <peerURL>");
        var command = new Command("add", "add a new member to the etcd cluster") { args };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args) ?? [];
            if (values.Length != 2)
            {
                throw new CliException("Provide a name and a single member peerURL", plain: true);
            }

            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            var (name, peerUrl) = (values[0], values[1]);
            try
            {
                var added = await client.Members.AddAsync(peerUrl, deadline.Token);
                session.Output.WriteLine($"Added member named {name} with ID {added.Id} to cluster");
                var members = await client.Members.ListAsync(deadline.Token);
                var initialCluster = members.SelectMany(m => m.PeerUrls.Select(u => $"{(m.Id == added.Id ? name : m.Name)}={u}"));
                session.Output.WriteLine();
                session.Output.WriteLine($"ETCD_NAME={GoUrl.Quote(name)}");
                session.Output.WriteLine($"ETCD_INITIAL_CLUSTER={GoUrl.Quote(string.Join(',', initialCluster))}");
                session.Output.WriteLine("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
            }
            catch (Exception exception) when (exception is MembersApiException or ClusterException)
            {
                throw new CliException(exception.Message, plain: true);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var args = VerbArguments.Create("<memberID>");
        var command = new Command("remove", "remove an existing member from the etcd cluster") { args };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args) ?? [];
            if (values.Length != 1)
            {
                throw new CliException("Provide a single member ID", plain: true);
            }

            var id = values[0];
            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            IReadOnlyList<Member> members;
            try
            {
                members = await client.Members.ListAsync(deadline.Token);
            }
            catch (Exception exception) when (exception is MembersApiException or ClusterException)
            {
                throw new CliException("Error while verifying ID against known members: " + exception.Message, plain: true);
            }

            foreach (var member in members.Where(m => m.Name == id))
            {
                session.Error.WriteLine($"Found a member named {member.Name}; if this is correct, please use its ID, eg:\n\tkvctl member remove {member.Id}");
                session.Error.WriteLine();
            }

            if (members.All(m => m.Id != id))
            {
                throw new CliException($"Couldn't find a member in the cluster with an ID of {id}.", plain: true);
            }

            try
            {
                await client.Members.RemoveAsync(id, deadline.Token);
            }
            catch (Exception exception) when (exception is MembersApiException or ClusterException)
            {
                throw new CliException($"Received an error trying to remove member {id}: {exception.Message}", plain: true);
            }

            session.Output.WriteLine($"Removed member {id} from cluster");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateUpdate()
    {
        var args = VerbArguments.Create("<memberID> <peerURLs>");
        var command = new Command("update", "update an existing member in the etcd cluster") { args };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args) ?? [];
            if (values.Length != 2)
            {
                throw new CliException("Provide an ID and a list of comma separated peerURL (0xabcd http://example.com,http://example1.com)", plain: true);
            }

            var client = await session.ConnectAsync(cancellationToken);
            using var deadline = session.StartTotalTimeout(cancellationToken);
            try
            {
                await client.Members.UpdateAsync(values[0], values[1].Split(','), deadline.Token);
            }
            catch (Exception exception) when (exception is MembersApiException or ClusterException)
            {
                throw new CliException(exception.Message, plain: true);
            }

            session.Output.WriteLine($"Updated member with ID {values[0]} in cluster");
            return ExitCodes.Success;
        });
        return command;
    }
}
