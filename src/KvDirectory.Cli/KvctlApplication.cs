using System.CommandLine;
using KvDirectory.Cli.Commands;

namespace KvDirectory.Cli;

/// <summary>Builds kvctl's command tree and runs it.</summary>
public static class KvctlApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("kvctl: a command line client for etcd v2 compatible servers (KvDirectory, etcd).");
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        Command[] commands =
        [
            ClusterHealthCommand.Create(),
            MkCommand.Create(),
            MkdirCommand.Create("mkdir", "make a new directory", Client.PrevExistCondition.MustNotExist),
            RmCommand.Create(),
            RmdirCommand.Create(),
            GetCommand.Create(),
            LsCommand.Create(),
            SetCommand.Create(),
            MkdirCommand.Create("setdir", "create a new directory or update an existing directory TTL", Client.PrevExistCondition.Ignore),
            UpdateCommand.Create(),
            UpdateDirCommand.Create(),
            WatchCommand.Create(),
            ExecWatchCommand.Create(),
            MemberCommand.Create(),
            UserCommand.Create(),
            RoleCommand.Create(),
            AuthCommand.Create(),
            PutCommand.Create(),
            DelCommand.Create(),
            EndpointCommand.Create(),
            SnapshotCommand.Create(),
            MigrateCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return await root.Parse(args).InvokeAsync();
    }
}
