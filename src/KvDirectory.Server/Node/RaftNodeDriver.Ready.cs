using System.Buffers.Binary;
using System.Diagnostics;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Server.Cluster;
using KvDirectory.Store;

namespace KvDirectory.Server.Node;

public sealed partial class RaftNodeDriver
{
    /// <summary>
    /// Handles Ready batches until the core has nothing more: persist (hard state + entries, one fsync),
    /// send, apply committed entries in order, answer read states, then advance.
    /// </summary>
    private void ProcessReadies()
    {
        while (_node.HasReady())
        {
            var ready = _node.GetReady();
            if (ready.SoftState is { } softState)
            {
                OnSoftStateChanged(softState);
            }

            if (ready.Snapshot is { IsEmpty: false } snapshot)
            {
                InstallSnapshot(snapshot);
            }

            // A leader replicates while it writes its own copy (Raft thesis 10.2.1): its followers' fsyncs overlap its
            // own. Safe here because an acknowledgement is only handled after this Ready's fsync finished (one thread),
            // so no entry is ever counted committed on a copy that is not durable. Votes and terms are still durable first.
            var sendFirst = _softState.Role == StateRole.Leader && !ChangesTermOrVote(ready.HardState);
            if (sendFirst)
            {
                SendMessages(ready.Messages);
            }

            if (ready.Entries.Count > 0 || ready.HardState is not null)
            {
                var started = Stopwatch.GetTimestamp();
                _storage.Append(ready.HardState, ready.Entries);
                _metrics.WalFsynced(Stopwatch.GetElapsedTime(started));
                if (ready.HardState is { } persisted)
                {
                    _persistedTermAndVote = (persisted.Term, persisted.Vote);
                }
            }

            if (!sendFirst)
            {
                SendMessages(ready.Messages);
            }

            UpdateStatus(); // X-Raft-Index on an answer completed by Apply must already count its own entry, as in etcd.
            Apply(ready.CommittedEntries);
            TrackReadStates(ready.ReadStates);
            _node.Advance(ready);
            UpdateStatus();
            CompleteAppliedReads();
            MaybeSnapshot();
            SubmitProposals();
        }
    }

    private bool ChangesTermOrVote(HardState? hardState) =>
        hardState is { } next && (next.Term, next.Vote) != _persistedTermAndVote;

    private void OnSoftStateChanged(SoftState softState)
    {
        if (softState.Lead != _softState.Lead)
        {
            _metrics.LeaderChanged();
            LogRoleChanged(_logger, softState.Role, softState.Lead, _node.Raft.HardState.Term);
        }
        else if (softState.Role != _softState.Role)
        {
            LogRoleChanged(_logger, softState.Role, softState.Lead, _node.Raft.HardState.Term);
        }

        _options.Statistics?.LeadershipChanged(softState.Lead, softState.Role == StateRole.Leader);
        _softState = softState;
    }

    /// <summary>
    /// Hands the messages to the transport, which only queues them: after the persist above, so no message
    /// claims entries that are not durable yet. A single-member cluster has no transport and nothing to send.
    /// </summary>
    private void SendMessages(IReadOnlyList<Message> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        if (_peers is null)
        {
            throw new InvalidOperationException($"the Raft core wants to send {messages.Count} messages but this node has no peer transport");
        }

        foreach (var message in messages)
        {
            _options.Statistics?.MessageSent(message);
            _peers.Send(message);
        }
    }

    private void InstallSnapshot(Snapshot snapshot)
    {
        _snapshotInFlight.Wait();
        var (members, storeBytes) = ClusterSnapshotFormat.Read(snapshot.Data, Identity.MemberId);
        _storage.ApplySnapshot(snapshot);
        _store.RestoreSnapshot(storeBytes.Span);
        if (members is not null)
        {
            _membership = members;
            PublishMembership();
        }

        _confState = snapshot.Metadata.ConfState;
        Interlocked.Exchange(ref _appliedIndex, snapshot.Metadata.Index);
        _lastSnapshotIndex = snapshot.Metadata.Index;
    }

    private void Apply(IReadOnlyList<Entry> entries)
    {
        if (entries.Count > 0)
        {
            _metrics.EntriesCommitted(entries.Count);
        }

        foreach (var entry in entries)
        {
            if (entry.Type == EntryType.ConfChange)
            {
                ApplyConfChange(entry);
            }
            else if (!entry.Data.IsEmpty)
            {
                ApplyCommand(entry);
            }

            Interlocked.Exchange(ref _appliedIndex, entry.Index);
        }
    }

    private void ApplyCommand(Entry entry)
    {
        var started = Stopwatch.GetTimestamp();
        if (!ProposalPayload.TryDecode(entry.Data, out var requestId, out var commandBytes))
        {
            LogBadEntry(_logger, entry.Index, null);
            return;
        }

        _pendingProposals.Remove(requestId, out var waiting);
        StoreCommand command;
        try
        {
            command = StoreCommandCodec.Decode(commandBytes.Span);
        }
        catch (FormatException error)
        {
            LogBadEntry(_logger, entry.Index, error);
            waiting?.Completion.TrySetException(new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: undecodable command"));
            return;
        }

        try
        {
            var applied = _store.Apply(command);
            waiting?.Completion.TrySetResult(applied!);
        }
        catch (EtcdException error)
        {
            waiting?.Completion.TrySetException(error);
        }
        finally
        {
            _metrics.EntryApplied(Stopwatch.GetElapsedTime(started));
        }
    }

    private void TrackReadStates(IReadOnlyList<ReadState> readStates)
    {
        foreach (var readState in readStates)
        {
            if (readState.Context.Length != 8)
            {
                continue;
            }

            var id = BinaryPrimitives.ReadUInt64BigEndian(readState.Context.Span);
            if (_pendingReads.Remove(id, out var read))
            {
                _readsWaitingForApply.Add((readState.Index, read));
            }
        }
    }

    private void CompleteAppliedReads()
    {
        if (_readsWaitingForApply.Count == 0)
        {
            return;
        }

        var applied = _appliedIndex;
        _readsWaitingForApply.RemoveAll(pending =>
        {
            if (pending.Index > applied)
            {
                return false;
            }

            pending.Read.Completion.TrySetResult(true);
            return true;
        });
    }

    /// <summary>
    /// Every <c>--snapshot-count</c> applied entries the store is serialised here (a consistent point, cheap next to
    /// writing it), and saved in the background: the LiteDB write, WAL marker and segment release never stall writes.
    /// </summary>
    private void MaybeSnapshot()
    {
        var applied = _appliedIndex;
        if (applied - _lastSnapshotIndex < (ulong)_options.SnapshotCount || !_snapshotInFlight.IsCompleted)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var data = ClusterSnapshotFormat.Write(_membership, _store.SaveSnapshot());
        var confState = _confState;
        _lastSnapshotIndex = applied;
        _snapshotInFlight = Task.Run(() => SaveSnapshot(applied, confState, data, started));
    }

    private void SaveSnapshot(ulong index, ConfState confState, byte[] data, long started)
    {
        try
        {
            _storage.CreateSnapshot(index, confState, data);
            var keep = (ulong)_options.SnapshotCatchUpEntries;
            var compactTo = index > keep ? index - keep : 0;
            if (compactTo > _storage.FirstIndex())
            {
                _storage.Compact(compactTo);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            _metrics.SnapshotSaveDuration.Observe(elapsed);
            LogSnapshotSaved(_logger, index, data.Length, (long)elapsed.TotalMilliseconds, compactTo);
        }
        catch (Exception error)
        {
            // Nothing is lost: the WAL still holds every entry; the next snapshot is tried after --snapshot-count more.
            LogSnapshotFailed(_logger, index, error);
        }
    }
}
