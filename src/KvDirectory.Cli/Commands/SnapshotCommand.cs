using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>snapshot save FILE</c> (a consistent online backup from a KvDirectory member) and <c>snapshot status FILE</c>
/// (verify a backup and print what it holds), worded as etcdctl v3's snapshot verbs. Restoring is the server's
/// job: <c>kvdirectory --restore-from FILE --data-dir EMPTY_DIR</c>.
/// </summary>
public static class SnapshotCommand
{
    public static Command Create()
    {
        var command = new Command("snapshot", "manages backups of a KvDirectory member");
        command.Subcommands.Add(CreateSave());
        command.Subcommands.Add(CreateStatus());
        return command;
    }

    private static Command CreateSave()
    {
        var args = VerbArguments.Create("<filename>");
        var command = new Command("save", "stores a consistent backup of the key tree to a file") { args };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var path = CommandAction.Required(session.Parse.GetValue(args), 0, "snapshot filename");
            var partial = path + ".part";
            var client = await session.ConnectAsync(cancellationToken);
            long index;
            await using (var file = File.Create(partial))
            {
                // No total timeout: a large tree takes as long as it takes; the per-request header timeout still applies.
                index = await client.SaveSnapshotAsync(file, cancellationToken);
            }

            // Only a verified file gets the final name, so a cut download never looks like a backup.
            await using (var check = File.OpenRead(partial))
            {
                BackupFile.Read(check);
            }

            File.Move(partial, path, overwrite: true);
            session.Output.WriteLine($"Snapshot saved at {path} (etcd index {index.ToString(CultureInfo.InvariantCulture)})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateStatus()
    {
        var args = VerbArguments.Create("<filename>");
        var writeOut = new Option<string?>("--write-out", "-w") { Description = "table, json or simple" };
        var command = new Command("status", "verifies a backup file and prints its index, size and hash") { args, writeOut };
        CommandAction.Set(command, (session, _) =>
        {
            var path = CommandAction.Required(session.Parse.GetValue(args), 0, "snapshot filename");
            long index;
            byte[] tree;
            try
            {
                using var file = File.OpenRead(path);
                (index, tree) = BackupFile.Read(file);
            }
            catch (FormatException error)
            {
                throw new CliException($"{path}: {error.Message}");
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(tree))[..8];
            var size = new FileInfo(path).Length;
            var indexText = index.ToString(CultureInfo.InvariantCulture);
            var sizeText = size.ToString(CultureInfo.InvariantCulture);
            switch (session.Parse.GetValue(writeOut) ?? session.Format)
            {
                case "table":
                    session.Output.Write(TableWriter.Render(["hash", "etcd index", "total size"], [[hash, indexText, sizeText]]));
                    break;
                case "json":
                    session.Output.WriteLine($"{{\"hash\":\"{hash}\",\"etcdIndex\":{indexText},\"totalSize\":{sizeText}}}");
                    break;
                default:
                    session.Output.WriteLine($"{hash}, {indexText}, {sizeText}");
                    break;
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
