namespace KvDirectory.Node.Metrics;

/// <summary>
/// The node's counters and histograms, named as etcd names them where the meaning is the same, so dashboards and
/// alerts written for etcd work against KvDirectory. Recorded on the node's thread, read by <c>/metrics</c> from any.
/// </summary>
public sealed class NodeMetrics
{
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

    /// <summary>The node thread's share of taking a snapshot (the writes wait for it); the serialising is in the background.</summary>
    public Histogram SnapshotCaptureDuration { get; } = new(
        "kvdirectory_snapshot_capture_duration_seconds", "The time the node's thread stops applying to capture the store for a snapshot.", Histogram.DurationBuckets);

    public long ProposalsCommitted => Interlocked.Read(ref _proposalsCommitted);

    public long ProposalsApplied => Interlocked.Read(ref _proposalsApplied);

    public long ProposalsPending => Interlocked.Read(ref _proposalsPending);

    public long ProposalsFailed => Interlocked.Read(ref _proposalsFailed);

    public long LeaderChanges => Interlocked.Read(ref _leaderChanges);

    public long WalFsyncs => Interlocked.Read(ref _walFsyncs);

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
