using KvDirectory.Raft.Tracking;

namespace KvDirectory.Raft;

/// <summary>
/// One member's Raft state machine, inspected through <see cref="RawNode.Raft"/>. Deterministic and
/// single-threaded: messages and ticks go in, messages and read states accumulate
/// and are drained by <see cref="RawNode"/>. Split into partials by concern.
/// </summary>
public sealed partial class RaftNode
{
    /// <summary>Marks vote requests of a leadership transfer, which bypass leader stickiness.</summary>
    internal static readonly byte[] CampaignTransferContext = "CampaignTransfer"u8.ToArray();

    private readonly Random _random;
    private readonly int _heartbeatTimeout;
    private readonly int _electionTimeout;
    private readonly ulong _maxMsgSize;
    private readonly bool _checkQuorum;
    private readonly bool _preVote;
    private readonly ulong _maxUncommittedSize;
    private readonly ReadIndexTracker _readIndex = new();
    private readonly List<Message> _pendingReadIndexMessages = [];
    private int _randomizedElectionTimeout;
    private int _electionElapsed;
    private int _heartbeatElapsed;
    private ulong _pendingConfIndex;
    private bool _broadcastAppendPending;
    private ulong _uncommittedSize;

    internal RaftNode(RaftConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Id = config.Id;
        _random = new Random(config.Seed);
        _heartbeatTimeout = config.HeartbeatTick;
        _electionTimeout = config.ElectionTick;
        _maxMsgSize = config.MaxSizePerMsg;
        _checkQuorum = config.CheckQuorum;
        _preVote = config.PreVote;
        _maxUncommittedSize = config.MaxUncommittedEntriesSize;
        Log = new RaftLog(config.Storage, config.MaxCommittedSizePerReady);
        Tracker = new ProgressTracker(config.MaxInflightMsgs);

        var (hardState, confState) = config.Storage.InitialState();
        Tracker.SetConfig(confState, Log.LastIndex() + 1);
        if (!hardState.IsEmpty) LoadState(hardState);
        if (config.Applied > 0) Log.InitApplied(Math.Min(config.Applied, Log.Committed));
        BecomeFollower(Term, 0);
    }

    public ulong Id { get; }

    public ulong Term { get; private set; }

    /// <summary>Who this node voted for in <see cref="Term"/> (0 for nobody).</summary>
    public ulong Vote { get; private set; }

    /// <summary>The leader this node knows of in <see cref="Term"/> (0 when unknown).</summary>
    public ulong Lead { get; private set; }

    public StateRole Role { get; private set; }

    /// <summary>The member a leadership transfer is handing over to, or 0.</summary>
    public ulong LeadTransferee { get; private set; }

    internal RaftLog Log { get; }

    internal ProgressTracker Tracker { get; }

    internal List<Message> Messages { get; private set; } = [];

    internal List<ReadState> ReadStates { get; private set; } = [];

    public SoftState SoftState => new(Lead, Role);

    public HardState HardState => new(Term, Vote, Log.Committed);

    /// <summary>Only voters may campaign; a learner or a removed member never does.</summary>
    internal bool Promotable => Tracker.IsVoter(Id);

    /// <summary>
    /// Whether a membership change proposed now would be turned into a no-op by the leader, which takes one only once
    /// its previous one (or, newly elected, its predecessor's entries) is applied. A follower cannot see that; it waits
    /// until it has applied an entry of the leader's term, which the leader applied first.
    /// </summary>
    internal bool ConfChangeMustWait =>
        Role == StateRole.Leader ? _pendingConfIndex > Log.Applied : Log.TermOrZero(Log.Applied) != Term;

    internal List<Message> TakeMessages()
    {
        FlushBroadcastAppend();
        var taken = Messages;
        Messages = [];
        return taken;
    }

    internal List<ReadState> TakeReadStates()
    {
        var taken = ReadStates;
        ReadStates = [];
        return taken;
    }

    private void LoadState(HardState state)
    {
        if (state.Commit < Log.Committed || state.Commit > Log.LastIndex())
            throw new InvalidOperationException(
                $"{Id} state.commit {state.Commit} is out of range [{Log.Committed}, {Log.LastIndex()}]");
        Log.Committed = state.Commit;
        Term = state.Term;
        Vote = state.Vote;
    }

    /// <summary>Advances the logical clock by one tick: elections for followers, heartbeats for leaders.</summary>
    internal void Tick()
    {
        if (Role == StateRole.Leader) TickHeartbeat();
        else TickElection();
    }

    private void TickElection()
    {
        _electionElapsed++;
        if (Promotable && PastElectionTimeout)
        {
            _electionElapsed = 0;
            Step(new Message { From = Id, Type = MessageType.MsgHup });
        }
    }

    private void TickHeartbeat()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _electionTimeout)
        {
            _electionElapsed = 0;
            if (_checkQuorum) Step(new Message { From = Id, Type = MessageType.MsgCheckQuorum });
            // A transfer that did not finish within an election timeout is abandoned so proposals resume.
            if (Role == StateRole.Leader && LeadTransferee != 0) AbortLeaderTransfer();
        }
        if (Role != StateRole.Leader) return;
        if (_heartbeatElapsed >= _heartbeatTimeout)
        {
            _heartbeatElapsed = 0;
            Step(new Message { From = Id, Type = MessageType.MsgBeat });
        }
    }

    private bool PastElectionTimeout => _electionElapsed >= _randomizedElectionTimeout;

    private void ResetRandomizedElectionTimeout() =>
        _randomizedElectionTimeout = _electionTimeout + _random.Next(_electionTimeout);

    private void Send(Message message)
    {
        var from = message.From == 0 ? Id : message.From;
        var term = message.Term;
        if (message.Type is MessageType.MsgVote or MessageType.MsgVoteResp or MessageType.MsgPreVote or MessageType.MsgPreVoteResp)
        {
            if (term == 0) throw new InvalidOperationException($"term should be set when sending {message.Type}");
        }
        else
        {
            if (term != 0) throw new InvalidOperationException($"term should not be set when sending {message.Type} (was {term})");
            // Forwarded proposals and read requests stay termless, like local messages.
            if (message.Type is not MessageType.MsgProp and not MessageType.MsgReadIndex) term = Term;
        }
        Messages.Add(from == message.From && term == message.Term ? message : message with { From = from, Term = term });
    }

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = 0;
        }
        Lead = 0;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        ResetRandomizedElectionTimeout();
        AbortLeaderTransfer();
        Tracker.ResetVotes();
        var last = Log.LastIndex();
        foreach (var (id, progress) in Tracker.Progress)
            progress.Reset(last + 1, id == Id ? last : 0);
        _pendingConfIndex = 0;
        _broadcastAppendPending = false;
        _uncommittedSize = 0;
        _readIndex.Clear();
        _pendingReadIndexMessages.Clear();
    }

    private void AbortLeaderTransfer() => LeadTransferee = 0;

    private bool CommittedEntryInCurrentTerm => Log.TermOrZero(Log.Committed) == Term;
}
