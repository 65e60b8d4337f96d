using System.CommandLine;
using System.Text.Json;
using KvDirectory.Cli.Migration;
using KvDirectory.Protocol.Dump;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>kvctl import [FILE]</c>: writes a JSON dump (<see cref="KeyDump"/>) into the cluster, from FILE or stdin. Keys are
/// set and directories created or updated, so importing twice is harmless. A key with a TTL expires when it would
/// have at the source: the time since the export counts, and keys that have expired since are not written.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("[<file>]");
        var concurrency = TransferOptions.Concurrency();
        var command = new Command("import", "writes a JSON dump (from kvctl export or the explorer) into the cluster") { args, concurrency };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var path = session.Parse.GetValue(args) is [var file, ..] && file != "-" ? file : null;
            var parallelism = TransferOptions.CheckConcurrency(session.Parse.GetValue(concurrency));
            var dump = await ReadAsync(path, cancellationToken);
            var client = await session.ConnectAsync(cancellationToken);
            var writer = new TreeWriter(client, TimeProvider.System, parallelism);
            var entries = dump.Nodes.Select(n => new TreeEntry(n, Expiration(dump, n))).ToList();
            var counts = await TransferProgress.RunAsync(
                $"importing {path ?? "stdin"}",
                entries.Count,
                tick => writer.WriteAsync(entries, tick, cancellationToken));
            await session.Output.WriteLineAsync(
                $"Imported {counts.Keys} keys and {counts.Directories} directories of {dump.Prefix} from {path ?? "stdin"}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// etcd's ttl is the whole seconds left plus one (Go truncates), so the true expiry lies in the second before
    /// exportedAt + ttl: its middle is the best guess. A dump without exportedAt keeps its TTLs as they are.
    /// </summary>
    private static DateTimeOffset? Expiration(KeyDump dump, KeyDumpEntry entry) =>
        dump.ExportedAt is { } exportedAt && entry.Ttl > 0 ? exportedAt + TimeSpan.FromSeconds(entry.Ttl - 0.5) : null;

    private static async Task<KeyDump> ReadAsync(string? path, CancellationToken cancellationToken)
    {
        KeyDump? dump;
        try
        {
            await using var stream = path is null ? Console.OpenStandardInput() : File.OpenRead(path);
            dump = await JsonSerializer.DeserializeAsync(stream, KeyDumpJsonContext.Default.KeyDump, cancellationToken);
        }
        catch (JsonException error)
        {
            throw new CliException($"{path ?? "stdin"} is not a KvDirectory dump: {error.Message}");
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"{path}: no such file");
        }

        if (dump is null || dump.Format != KeyDump.FormatName)
        {
            throw new CliException($"{path ?? "stdin"} is not a KvDirectory dump (format \"{dump?.Format}\", expected \"{KeyDump.FormatName}\")");
        }

        if (dump.Version > KeyDump.CurrentVersion)
        {
            throw new CliException($"{path ?? "stdin"} is a version {dump.Version} dump; this kvctl reads up to version {KeyDump.CurrentVersion}");
        }

        var bad = dump.Nodes.FirstOrDefault(n => !n.Key.StartsWith('/') || (!n.Dir && n.Value is null));
        return bad is null ? dump : throw new CliException($"{path ?? "stdin"}: entry {bad.Key} has no absolute key or no value");
    }

}
