using System.CommandLine;
using KvDirectory.Cli.Migration;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>kvctl --endpoints OURS migrate --from OLD [--prefix /] [--hidden KEY]… [--follow]</c>: copies a live etcd v2 key
/// space (values, directories, remaining TTLs, in-order keys by name, the hidden keys named) into the cluster that
/// --endpoints names, then with --follow keeps carrying the source's changes until Ctrl+C, so clients can be
/// switched over with no downtime. A rerun after an interruption copies everything again, harmlessly.
/// </summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "the source cluster's client URLs, comma separated", Required = true };
        var prefix = TransferOptions.Prefix();
        var hidden = TransferOptions.Hidden();
        var follow = new Option<bool>("--follow") { Description = "after the copy, keep carrying the source's changes (by a recursive watch) until interrupted" };
        var concurrency = TransferOptions.Concurrency();
        var command = new Command("migrate", "copies an etcd v2 key space into this cluster, and optionally keeps following it")
        {
            from, prefix, hidden, follow, concurrency,
        };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var key = TransferOptions.Normalize(session.Parse.GetValue(prefix)!);
            var hiddenKeys = (session.Parse.GetValue(hidden) ?? []).Select(TransferOptions.Normalize).ToList();
            var parallelism = TransferOptions.CheckConcurrency(session.Parse.GetValue(concurrency));
            using var source = new EtcdClient(SourceOptions(session, session.Parse.GetValue(from)!));
            var target = await session.ConnectAsync(cancellationToken);
            var writer = new TreeWriter(target, TimeProvider.System, parallelism);

            var (entries, index) = await TreeReader.ReadAsync(source, key, hiddenKeys, cancellationToken);
            var counts = await TransferProgress.RunAsync(
                $"copying {key}",
                entries.Count,
                tick => writer.WriteAsync(entries, tick, cancellationToken));
            var sourceName = string.Join(",", source.Endpoints.Select(KvctlSession.Display));
            await session.Output.WriteLineAsync(
                $"Copied {counts.Keys} keys and {counts.Directories} directories from {sourceName} {key} at etcd index {index}"
                + (counts.Expired > 0 ? $" ({counts.Expired} expired before they could be copied)" : string.Empty));
            if (!session.Parse.GetValue(follow))
            {
                return ExitCodes.Success;
            }

            await session.Output.FlushAsync(cancellationToken);
            await session.Error.WriteLineAsync($"Following changes after etcd index {index} (Ctrl+C to stop)");
            var follower = new ChangeFollower(source, target, writer, session.Output, session.Error);
            try
            {
                var watches = new List<Task> { follower.FollowAsync(key, index, cancellationToken) };
                watches.AddRange(hiddenKeys.Select(h => follower.FollowAsync(h, index, cancellationToken)));
                await Task.WhenAll(watches);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await session.Error.WriteLineAsync($"Stopped after {follower.Applied} changes");
            }

            return ExitCodes.Success;
        }, interruptIsSuccess: true);
        return command;
    }

    private static EtcdClientOptions SourceOptions(KvctlSession session, string endpoints) => new()
    {
        Endpoints = [.. endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(CliSettings.ParseEndpoint)],
        RequestTimeout = session.Settings.Timeout > TimeSpan.Zero ? session.Settings.Timeout : Timeout.InfiniteTimeSpan,
        CertificateFile = session.Settings.CertFile,
        KeyFile = session.Settings.KeyFile,
        TrustedCaFile = session.Settings.CaFile,
        DebugWriter = session.Settings.Debug ? session.Error : null,
    };

}
