using System.Collections.Concurrent;

namespace KvDirectory.Server.Metrics;

/// <summary>
/// The node's counters, gauges and histograms, named as etcd names them where the meaning is the same,
/// so dashboards and alerts written for etcd work against KvDirectory.
/// </summary>
public sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<(string Method, int Status), long> _httpRequests = new();
    private long _proposalsCommitted;
    private long _proposalsApplied;
    private long _proposalsPending;
    private long _proposalsFailed;
    private long _leaderChanges;
    private long _walFsyncs;

    public Histogram ApplyDuration { get; } = new(
        "etcd_server_apply_duration_seconds", "The latency distribution of applying a committed command to the store.", Histogram.DurationBuckets);

    public Histogram WalFsyncDuration { get; } = new(
        "etcd_disk_wal_fsync_duration_seconds", "The latency distribution of fsync calls made by the write-ahead log.", Histogram.DurationBuckets);

    public Histogram SnapshotSaveDuration { get; } = new(
        "etcd_debugging_snap_save_total_duration_seconds", "The total latency distribution of saving a snapshot.", Histogram.DurationBuckets);

    /// <summary>Bytes and failures per peer, fed by the peer transport.</summary>
    public PeerTrafficMetrics Peers { get; } = new();

    public long ProposalsCommitted => Interlocked.Read(ref _proposalsCommitted);

    public long ProposalsApplied => Interlocked.Read(ref _proposalsApplied);

    public long ProposalsPending => Interlocked.Read(ref _proposalsPending);

    public long ProposalsFailed => Interlocked.Read(ref _proposalsFailed);

    public long LeaderChanges => Interlocked.Read(ref _leaderChanges);

    public long WalFsyncs => Interlocked.Read(ref _walFsyncs);

    public IEnumerable<KeyValuePair<(string Method, int Status), long>> HttpRequests => _httpRequests;

    public void RecordHttpRequest(string method, int status) =>
        _httpRequests.AddOrUpdate((method, status), 1, static (_, count) => count + 1);

    public void ProposalStarted() => Interlocked.Increment(ref _proposalsPending);

    public void ProposalFinished(bool failed)
    {
        Interlocked.Decrement(ref _proposalsPending);
        if (failed)
        {
            Interlocked.Increment(ref _proposalsFailed);
        }
    }

    public void EntriesCommitted(int count) => Interlocked.Add(ref _proposalsCommitted, count);

    public void EntryApplied(TimeSpan duration)
    {
        Interlocked.Increment(ref _proposalsApplied);
        ApplyDuration.Observe(duration);
    }

    public void LeaderChanged() => Interlocked.Increment(ref _leaderChanges);

    public void WalFsynced(TimeSpan duration)
    {
        Interlocked.Increment(ref _walFsyncs);
        WalFsyncDuration.Observe(duration);
    }
}
