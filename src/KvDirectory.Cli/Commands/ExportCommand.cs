using System.CommandLine;
using System.Text.Json;
using KvDirectory.Cli.Migration;
using KvDirectory.Protocol.Dump;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>kvctl export [--prefix /] [--hidden KEY]… [FILE]</c>: the subtree as a JSON dump (<see cref="KeyDump"/>, the
/// explorer's format), to FILE or to stdout. A file is written under a temporary name first, so a cut export never
/// looks complete.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("[<file>]");
        var prefix = TransferOptions.Prefix();
        var hidden = TransferOptions.Hidden();
        var command = new Command("export", "writes a subtree as a JSON dump (to a file, or stdout)") { args, prefix, hidden };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = TransferOptions.Normalize(session.Parse.GetValue(prefix)!);
            var hiddenKeys = (session.Parse.GetValue(hidden) ?? []).Select(TransferOptions.Normalize).ToList();
            var path = session.Parse.GetValue(args) is [var file, ..] && file != "-" ? file : null;
            var client = await session.ConnectAsync(cancellationToken);
            var (entries, index) = await TreeReader.ReadAsync(client, key, hiddenKeys, cancellationToken);
            var dump = new KeyDump
            {
                Prefix = key,
                EtcdIndex = index,
                ExportedAt = DateTimeOffset.UtcNow,
                Source = string.Join(",", client.Endpoints.Select(KvctlSession.Display)),
                Nodes = [.. entries.Select(e => e.Entry)],
            };
            var json = JsonSerializer.Serialize(dump, KeyDumpJsonContext.Default.KeyDump);
            var summary = $"Exported {entries.Count(e => !e.Entry.Dir)} keys and {entries.Count(e => e.Entry.Dir)} directories of {key} at etcd index {index}";
            if (path is null)
            {
                await session.Output.WriteLineAsync(json);
                await session.Error.WriteLineAsync(summary);
                return ExitCodes.Success;
            }

            var partial = path + ".part";
            await File.WriteAllTextAsync(partial, json + "\n", cancellationToken);
            File.Move(partial, path, overwrite: true);
            await session.Output.WriteLineAsync($"{summary} to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

}
