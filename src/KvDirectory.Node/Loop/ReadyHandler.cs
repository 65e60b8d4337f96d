using KvDirectory.Node.Apply;
using KvDirectory.Node.Metrics;
using KvDirectory.Node.Reads;
using KvDirectory.Node.Snapshots;
using KvDirectory.Node.Statistics;
using KvDirectory.Raft;
using KvDirectory.Storage;
using KvDirectory.Transport;

namespace KvDirectory.Node.Loop;

/// <summary>
/// Handles one <see cref="Ready"/>: persist (hard state + entries, one fsync for everything that queued up meanwhile —
/// group commit; none when only the commit index moved, <see cref="Ready.MustSync"/>) and send, apply committed entries in order, answer read states, advance, maybe snapshot.
/// </summary>
internal sealed class ReadyHandler(
    RawNode node,
    DurableRaftStorage storage,
    StatusTracker status,
    EntryApplier applier,
    ReadIndexTracker reads,
    SnapshotScheduler snapshots,
    NodeMetrics metrics,
    RaftStatistics? statistics,
    TimeProvider time,
    TaskScheduler? lateFsyncForTests = null)
{
    private IPeerNetwork? _network;
    private (ulong Term, ulong Vote) _persistedTermAndVote = (storage.InitialState().HardState.Term, storage.InitialState().HardState.Vote);

    /// <summary>Set before the node's thread starts; a single-member cluster in a bare test has none.</summary>
    public void Attach(IPeerNetwork? network) => _network = network;

    public void Handle(Ready ready)
    {
        if (ready.SoftState is { } softState)
        {
            status.OnSoftStateChanged(softState);
        }

        if (ready.Snapshot is { IsEmpty: false } snapshot)
        {
            snapshots.Install(snapshot);
            applier.Reset(snapshot.Metadata.Index, snapshot.Metadata.ConfState);
        }

        // A leader replicates while it writes its own copy (Raft thesis 10.2.1): its followers' fsyncs overlap its
        // own. Safe here because an acknowledgement is only handled after this Ready's fsync finished (one thread),
        // so no entry is ever counted committed on a copy that is not durable. Votes and terms are still durable first.
        var sendFirst = status.SoftState.Role == StateRole.Leader && !ChangesTermOrVote(ready.HardState);
        if (sendFirst)
        {
            Send(ready.Messages);
        }

        // A membership change is applied only once the commit index covering it is durable. A commit index written
        // without its own fsync can be lost to a power cut; the member would then restart in the configuration before
        // the change, whose quorum may need a member that was removed and has shut down for good (a two-member cluster
        // that removed its leader): no election could ever be won again.
        var syncCommit = !ready.MustSync && AppliesMembershipChange(ready.CommittedEntries);
        if (ready.Entries.Count > 0 || ready.HardState is not null || syncCommit)
        {
            var started = time.GetTimestamp();
            if (lateFsyncForTests is not null && ready.MustSync && !ChangesTermOrVote(ready.HardState))
            {
                WriteWithLateFsync(ready, lateFsyncForTests);
            }
            else
            {
                // Without a new hard state, the last one written is written again: its fsync covers the unsynced commit.
                var hardState = ready.HardState ?? (syncCommit ? storage.InitialState().HardState : null);
                storage.Append(hardState, ready.Entries, ready.MustSync || syncCommit);
            }

            if (ready.MustSync || syncCommit)
            {
                metrics.WalFsynced(time.GetElapsedTime(started));
            }
            if (ready.HardState is { } persisted)
            {
                _persistedTermAndVote = (persisted.Term, persisted.Vote);
            }
        }

        if (!sendFirst)
        {
            Send(ready.Messages);
        }

        status.Update(); // X-Raft-Index on an answer completed by Apply must already count its own entry, as in etcd.
        applier.Apply(ready.CommittedEntries);
        reads.Track(ready.ReadStates);
        node.Advance(ready);
        status.Update();
        reads.CompleteApplied(applier.AppliedIndex);
        MaybeSnapshot();
    }

    /// <summary>
    /// After each Ready, and at each tick: a snapshot refused while a backup's capture was open is taken once it is
    /// written, even when nothing new is applied (a single member gets no Ready from a tick).
    /// </summary>
    public void MaybeSnapshot() => snapshots.MaybeSnapshot(applier.AppliedIndex, applier.ConfState);

    /// <summary>
    /// The mutation of <see cref="NodeOptions.FsyncsEntriesLaterForTests"/>: written now, fsynced whenever the background
    /// gets to it (rewriting the latest hard state makes the WAL fsync everything before it).
    /// </summary>
    private void WriteWithLateFsync(Ready ready, TaskScheduler later)
    {
        storage.Append(ready.HardState, ready.Entries, mustSync: false);
        Task.Factory.StartNew(() => storage.Append(storage.InitialState().HardState, [], mustSync: true), CancellationToken.None, TaskCreationOptions.None, later);
    }

    private static bool AppliesMembershipChange(IReadOnlyList<Entry> committed)
    {
        foreach (var entry in committed)
        {
            if (entry.Type == EntryType.ConfChange)
            {
                return true;
            }
        }

        return false;
    }

    private bool ChangesTermOrVote(HardState? hardState) =>
        hardState is { } next && (next.Term, next.Vote) != _persistedTermAndVote;

    /// <summary>Hands the messages to the transport, which only queues them.</summary>
    private void Send(IReadOnlyList<Message> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        if (_network is null)
        {
            throw new InvalidOperationException($"the Raft core wants to send {messages.Count} messages but this node has no peer transport");
        }

        foreach (var message in messages)
        {
            statistics?.MessageSent(message);
            _network.Send(message);
        }
    }
}
