using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Migration;

/// <summary>
/// Carries a source's changes to the target as they happen, by a recursive watch that resumes after its last event
/// (reconnecting through restarts). Each applied change is printed as <c>ACTION KEY</c>. When the source's event
/// history no longer reaches back far enough (401), the subtree is copied again and keys gone from the source are
/// removed from the target, then following goes on from the new index.
/// </summary>
public sealed class ChangeFollower(EtcdClient source, EtcdClient target, TreeWriter writer, TextWriter output, TextWriter error)
{
    private long _applied;

    public long Applied => Interlocked.Read(ref _applied);

    public async Task FollowAsync(string key, long afterIndex, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var options = new WatchOptions { AfterIndex = afterIndex, Recursive = true, Reconnect = true, MaxBackoff = TimeSpan.FromSeconds(5) };
                await foreach (var change in source.Keys.WatchAsync(key, options, cancellationToken))
                {
                    if (!IsHiddenBelow(key, change.Node?.Key))
                    {
                        await ApplyAsync(change, cancellationToken);
                    }

                    afterIndex = Math.Max(afterIndex, change.Node?.ModifiedIndex ?? afterIndex);
                }
            }
            catch (EtcdException cleared) when (cleared.ErrorCode == EtcdErrorCode.EventIndexCleared)
            {
                await error.WriteLineAsync($"The source's event history no longer reaches index {afterIndex + 1} for {key}; copying {key} again");
                afterIndex = await ResyncAsync(key, cancellationToken);
            }
        }
    }

    /// <summary>
    /// etcd hides keys below a <c>_</c> name from live watchers but not from watchers answered out of its history; a
    /// hidden key is copied only when named (and then by its own watch), so both cases are left out here alike.
    /// </summary>
    private static bool IsHiddenBelow(string watched, string? key) =>
        key is not null && key.Length > watched.Length
        && ("/" + key[watched.Length..].TrimStart('/')).Contains("/_", StringComparison.Ordinal);

    private async Task ApplyAsync(EtcdEvent change, CancellationToken cancellationToken)
    {
        if (change.Node is not { Key: { } key } node)
        {
            return;
        }

        if (change.Action is EtcdActions.Delete or EtcdActions.CompareAndDelete or EtcdActions.Expire)
        {
            await writer.DeleteAsync(key, node.Dir, cancellationToken);
        }
        else
        {
            await writer.PutAsync(TreeReader.ToEntry(node), cancellationToken);
        }

        Interlocked.Increment(ref _applied);
        await output.WriteLineAsync($"{change.Action} {key}");
        await output.FlushAsync(cancellationToken);
    }

    private async Task<long> ResyncAsync(string key, CancellationToken cancellationToken)
    {
        var copied = new List<TreeEntry>();
        var index = await TreeReader.ReadOneAsync(source, key, copied, cancellationToken);
        await writer.WriteAsync(copied, written: null, cancellationToken);
        var present = copied.Select(e => e.Entry.Key).ToHashSet(StringComparer.Ordinal);
        var existing = new List<TreeEntry>();
        await TreeReader.ReadOneAsync(target, key, existing, cancellationToken);
        // Deepest first, so a directory is never deleted before what it holds is judged.
        foreach (var gone in existing.Where(e => !present.Contains(e.Entry.Key)).Reverse())
        {
            await writer.DeleteAsync(gone.Entry.Key, gone.Entry.Dir, cancellationToken);
        }

        return index;
    }
}
