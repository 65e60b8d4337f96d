namespace KvDirectory.Raft;

/// <summary>
/// The driver's handle on a Raft member: feed it ticks, peer messages and client requests; whenever
/// <see cref="HasReady"/> is true take a <see cref="Ready"/> with <see cref="GetReady"/>, process it
/// (persist → send → apply) and hand it back with <see cref="Advance"/>. Not thread-safe.
/// </summary>
public sealed class RawNode
{
    private readonly RaftNode _raft;
    private SoftState _prevSoftState;
    private HardState _prevHardState;
    private Ready? _outstanding;

    public RawNode(RaftConfig config)
    {
        _raft = new RaftNode(config);
        _prevSoftState = _raft.SoftState;
        _prevHardState = _raft.HardState;
    }

    /// <summary>
    /// Initializes a brand-new member of a brand-new cluster: the initial membership becomes committed
    /// conf change entries at the start of the log (term 1), so that members added later learn it by
    /// replaying the log, exactly as they learn every later change. They arrive as committed entries in
    /// the first Ready and are applied with <see cref="ApplyConfChange"/> like any other.
    /// </summary>
    public void Bootstrap(IReadOnlyCollection<ulong> voters)
    {
        ArgumentNullException.ThrowIfNull(voters);
        Bootstrap([.. voters.Select(id => new ConfChange(ConfChangeType.AddNode, id))]);
    }

    /// <summary>
    /// As <see cref="Bootstrap(IReadOnlyCollection{ulong})"/>, with one AddNode change per initial voter whose context
    /// the application fills (e.g. the member's name and peer URLs, so a replay of the log rebuilds the membership).
    /// </summary>
    public void Bootstrap(IReadOnlyList<ConfChange> initialVoters)
    {
        ArgumentNullException.ThrowIfNull(initialVoters);
        if (initialVoters.Count == 0) throw new ArgumentException("must provide at least one voter", nameof(initialVoters));
        if (initialVoters.Any(c => c.Type != ConfChangeType.AddNode))
            throw new ArgumentException("a bootstrap adds voters only", nameof(initialVoters));
        if (_raft.Log.LastIndex() != 0 || !_raft.HardState.IsEmpty)
            throw new InvalidOperationException("can only bootstrap an empty storage");
        _raft.BootstrapMembership(initialVoters);
    }

    /// <summary>The underlying state machine, for inspection (tests, status pages).</summary>
    public RaftNode Raft => _raft;

    public ulong Id => _raft.Id;

    public void Tick() => _raft.Tick();

    /// <summary>Starts an election now (used by a single-member bootstrap or tests).</summary>
    public void Campaign() => _raft.Step(new Message { Type = MessageType.MsgHup });

    /// <summary>Proposes data to be appended to the log; false when dropped (no known leader, transfer in progress).</summary>
    public bool TryPropose(ReadOnlyMemory<byte> data) => _raft.Step(new Message
    {
        Type = MessageType.MsgProp, From = _raft.Id, Entries = [new Entry(0, 0, EntryType.Normal, data)],
    });

    /// <summary>
    /// Proposes several entries in one message: a follower forwards them to the leader together, so a batch of client
    /// writes costs one forwarded message instead of one each. All or none are accepted.
    /// </summary>
    public bool TryPropose(IReadOnlyList<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) return true;
        var entries = new Entry[data.Count];
        for (var i = 0; i < entries.Length; i++) entries[i] = new Entry(0, 0, EntryType.Normal, data[i]);
        return _raft.Step(new Message { Type = MessageType.MsgProp, From = _raft.Id, Entries = entries });
    }

    /// <summary>Proposes data; throws <see cref="ProposalDroppedException"/> when it cannot be accepted.</summary>
    public void Propose(byte[] data)
    {
        if (!TryPropose(data)) throw new ProposalDroppedException();
    }

    /// <summary>Whether a membership change proposed now would become a no-op (see <see cref="RaftNode.ConfChangeMustWait"/>).</summary>
    public bool ConfChangeMustWait => _raft.ConfChangeMustWait;

    public bool TryProposeConfChange(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _raft.Step(new Message
        {
            Type = MessageType.MsgProp, From = _raft.Id,
            Entries = [new Entry(0, 0, EntryType.ConfChange, change.Encode())],
        });
    }

    public void ProposeConfChange(ConfChange change)
    {
        if (!TryProposeConfChange(change)) throw new ProposalDroppedException();
    }

    /// <summary>Applies a committed conf change entry; call when applying it, in log order.</summary>
    public ConfState ApplyConfChange(ConfChange change) => _raft.ApplyConfChange(change);

    /// <summary>
    /// Requests a linearizable read point. The answer arrives as a <see cref="ReadState"/> carrying
    /// <paramref name="context"/>, which must be unique among outstanding requests.
    /// </summary>
    public bool ReadIndex(byte[] context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _raft.Step(new Message
        {
            Type = MessageType.MsgReadIndex, Entries = [new Entry(0, 0, EntryType.Normal, context)],
        });
    }

    /// <summary>Asks the leader to hand leadership to <paramref name="transferee"/>.</summary>
    public void TransferLeadership(ulong transferee) =>
        _raft.Step(new Message { Type = MessageType.MsgTransferLeader, From = transferee });

    /// <summary>Delivers a message from a peer. Local message types are refused: they are generated here.</summary>
    public void Step(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Type.IsLocal()) throw new ArgumentException($"cannot step raft local message {message.Type}", nameof(message));
        // Responses from members no longer in the configuration are meaningless to the leader.
        if (message.Type.IsResponse() && !_raft.Tracker.Progress.ContainsKey(message.From)) return;
        _raft.Step(message);
    }

    /// <summary>The transport could not reach <paramref name="id"/>; the leader stops pipelining to it.</summary>
    public void ReportUnreachable(ulong id) =>
        _raft.Step(new Message { Type = MessageType.MsgUnreachable, From = id });

    /// <summary>Reports whether sending a snapshot to <paramref name="id"/> succeeded.</summary>
    public void ReportSnapshot(ulong id, bool succeeded) =>
        _raft.Step(new Message { Type = MessageType.MsgSnapStatus, From = id, Reject = !succeeded });

    public bool HasReady()
    {
        if (_raft.SoftState != _prevSoftState) return true;
        var hs = _raft.HardState;
        if (!hs.IsEmpty && hs != _prevHardState) return true;
        var log = _raft.Log;
        return log.HasPendingSnapshot()
            || log.Unstable.Entries.Count > 0
            || _raft.Messages.Count > 0
            || _raft.HasPendingBroadcast
            || _raft.ReadStates.Count > 0
            || log.HasNextCommittedEntries();
    }

    /// <summary>
    /// Collects the pending work. Messages and read states are handed over now; the rest is acknowledged
    /// by <see cref="Advance"/>, which must be called before the next GetReady.
    /// </summary>
    public Ready GetReady()
    {
        if (_outstanding is not null) throw new InvalidOperationException("Advance the previous Ready first");
        var log = _raft.Log;
        var soft = _raft.SoftState;
        var hard = _raft.HardState;
        var entries = log.UnstableEntries();
        var ready = new Ready
        {
            SoftState = soft != _prevSoftState ? soft : null,
            HardState = hard != _prevHardState && !hard.IsEmpty ? hard : null,
            Entries = entries,
            Snapshot = log.HasPendingSnapshot() ? log.Unstable.Snapshot : null,
            CommittedEntries = log.NextCommittedEntries(),
            Messages = _raft.TakeMessages(),
            ReadStates = _raft.TakeReadStates(),
            MustSync = entries.Count > 0 || hard.Term != _prevHardState.Term || hard.Vote != _prevHardState.Vote,
        };
        _prevSoftState = soft;
        _outstanding = ready;
        return ready;
    }

    /// <summary>Acknowledges that <paramref name="ready"/> was persisted, sent and applied.</summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (!ReferenceEquals(ready, _outstanding)) throw new InvalidOperationException("Advance called with a Ready that is not outstanding");
        _outstanding = null;
        var log = _raft.Log;
        if (ready.HardState is { } hs) _prevHardState = hs;
        if (ready.Snapshot is { } snapshot)
        {
            log.Unstable.StableSnapshotTo(snapshot.Metadata.Index);
            if (snapshot.Metadata.Index > log.Applied) log.AppliedTo(snapshot.Metadata.Index);
        }
        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            log.Unstable.StableTo(last.Index, last.Term);
        }
        if (ready.CommittedEntries.Count > 0)
        {
            log.AppliedTo(ready.CommittedEntries[^1].Index);
            _raft.ReduceUncommittedSize(ready.CommittedEntries);
        }
    }

    public RaftStatus Status()
    {
        var progress = new Dictionary<ulong, PeerProgress>();
        if (_raft.Role == StateRole.Leader)
        {
            foreach (var (id, pr) in _raft.Tracker.Progress)
                progress[id] = new PeerProgress(pr.Match, pr.Next, pr.State, pr.IsLearner, pr.RecentActive);
        }
        return new RaftStatus(_raft.Id, _raft.HardState, _raft.SoftState, _raft.Log.Applied, _raft.Log.LastIndex(),
            _raft.LeadTransferee, _raft.Tracker.Config, progress);
    }
}

/// <summary>A proposal could not be accepted (no leader known, or leadership is being transferred).</summary>
public sealed class ProposalDroppedException() : Exception("raft proposal dropped");
