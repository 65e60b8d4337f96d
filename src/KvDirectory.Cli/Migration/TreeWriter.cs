using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli.Migration;

/// <summary>
/// Writes keys and directories into a cluster so that a second run over the same data changes nothing: keys are set
/// (replacing), directories are created or have their TTL updated. Directories go first, in order, then keys in
/// parallel (each write waits for its own fsync; many in flight share them). Every write here may safely be repeated,
/// so one that got no answer is retried (<see cref="TransferRetry"/>).
/// </summary>
public sealed class TreeWriter(EtcdClient target, TimeProvider time, int concurrency)
{

    public sealed record Counts(int Keys, int Directories, int Expired);

    public async Task<Counts> WriteAsync(IReadOnlyList<TreeEntry> entries, Action? written, CancellationToken cancellationToken)
    {
        var keys = 0;
        var directories = 0;
        var expired = 0;
        foreach (var entry in entries.Where(e => e.Entry.Dir))
        {
            if (await PutAsync(entry, cancellationToken))
            {
                directories++;
            }
            else
            {
                expired++;
            }

            written?.Invoke();
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(entries.Where(e => !e.Entry.Dir), parallel, async (entry, token) =>
        {
            if (await PutAsync(entry, token))
            {
                Interlocked.Increment(ref keys);
            }
            else
            {
                Interlocked.Increment(ref expired);
            }

            written?.Invoke();
        });
        return new Counts(keys, directories, expired);
    }

    /// <summary>Writes one key or directory; false when its TTL ran out before it could be written (nothing is written).</summary>
    public Task<bool> PutAsync(TreeEntry entry, CancellationToken cancellationToken) =>
        TransferRetry.Pipeline.ExecuteAsync(token => new ValueTask<bool>(PutOnceAsync(entry, token)), cancellationToken).AsTask();

    /// <summary>Deletes a key or a whole directory; one that is already gone is fine.</summary>
    public Task DeleteAsync(string key, bool dir, CancellationToken cancellationToken) =>
        TransferRetry.Pipeline.ExecuteAsync(token => new ValueTask(DeleteOnceAsync(key, dir, token)), cancellationToken).AsTask();

    private async Task<bool> PutOnceAsync(TreeEntry entry, CancellationToken cancellationToken)
    {
        var ttl = RemainingTtl(entry);
        if (ttl < TimeSpan.Zero)
        {
            await DeleteOnceAsync(entry.Entry.Key, entry.Entry.Dir, cancellationToken);
            return false;
        }

        if (!entry.Entry.Dir)
        {
            await target.Keys.SetAsync(entry.Entry.Key, entry.Entry.Value ?? string.Empty, new SetOptions { Ttl = ttl }, cancellationToken);
            return true;
        }

        try
        {
            // An existing directory keeps its children; only its TTL is brought in line (no TTL makes it permanent).
            await target.Keys.SetAsync(entry.Entry.Key, string.Empty, new SetOptions { Dir = true, PrevExist = PrevExistCondition.MustExist, Ttl = ttl }, cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
            await target.Keys.SetAsync(entry.Entry.Key, string.Empty, new SetOptions { Dir = true, Ttl = ttl }, cancellationToken);
        }

        return true;
    }

    private async Task DeleteOnceAsync(string key, bool dir, CancellationToken cancellationToken)
    {
        try
        {
            await target.Keys.DeleteAsync(key, new DeleteOptions { Recursive = dir }, cancellationToken);
        }
        catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.KeyNotFound)
        {
        }
    }

    /// <summary>
    /// Zero for a permanent key, negative once expired, else the whole seconds nearest to what is left (at least one):
    /// the copy expires within half a second of the source.
    /// </summary>
    private TimeSpan RemainingTtl(TreeEntry entry)
    {
        if (entry.Expiration is { } expiration)
        {
            var left = expiration - time.GetUtcNow();
            return left <= TimeSpan.Zero ? TimeSpan.FromSeconds(-1) : TimeSpan.FromSeconds(Math.Max(1, Math.Round(left.TotalSeconds)));
        }

        return TimeSpan.FromSeconds(entry.Entry.Ttl);
    }
}
