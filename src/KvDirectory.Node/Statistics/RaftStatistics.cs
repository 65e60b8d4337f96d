using KvDirectory.Raft;

namespace KvDirectory.Node.Statistics;

/// <summary>
/// What the node tells the stats endpoints, recorded from the messages it sends and receives: etcd's
/// server stats (append requests sent as leader, received as follower, and their rates), the leader's per-follower
/// latency and counts (<see cref="Followers"/>), and when the current leader took office
/// (<see cref="NodeInfo.LeaderSince"/>). The node calls the recording methods on its thread; endpoints read from any.
/// </summary>
public sealed class RaftStatistics
{
    private readonly NodeInfo _node;
    private readonly TimeProvider _time;
    private long _sentAppendRequests;
    private long _receivedAppendRequests;
    private ulong _lastLeader;

    public RaftStatistics(NodeInfo node, TimeProvider time)
    {
        _node = node;
        _time = time;
        Followers = new FollowerStatsTracker(time);
        SendRate = new RequestRateWindow(time);
        ReceiveRate = new RequestRateWindow(time);
    }

    public FollowerStatsTracker Followers { get; }

    public RequestRateWindow SendRate { get; }

    public RequestRateWindow ReceiveRate { get; }

    public long SentAppendRequests => Interlocked.Read(ref _sentAppendRequests);

    public long ReceivedAppendRequests => Interlocked.Read(ref _receivedAppendRequests);

    /// <summary>A message the node hands to the transport.</summary>
    public void MessageSent(Message message)
    {
        switch (message.Type)
        {
            case MessageType.MsgApp:
                Interlocked.Increment(ref _sentAppendRequests);
                SendRate.Add(ApproximateSize(message));
                Followers.RequestSent(message.To, FollowerRequestKind.Append);
                break;
            case MessageType.MsgHeartbeat:
                Followers.RequestSent(message.To, FollowerRequestKind.Heartbeat);
                break;
        }
    }

    /// <summary>A message from a peer, before the core steps it.</summary>
    public void MessageReceived(Message message)
    {
        switch (message.Type)
        {
            case MessageType.MsgApp:
                Interlocked.Increment(ref _receivedAppendRequests);
                ReceiveRate.Add(ApproximateSize(message));
                break;
            case MessageType.MsgAppResp:
                Followers.ResponseReceived(message.From, FollowerRequestKind.Append, message.Reject);
                break;
            case MessageType.MsgHeartbeatResp:
                Followers.ResponseReceived(message.From, FollowerRequestKind.Heartbeat, rejected: false);
                break;
        }
    }

    /// <summary>The transport could not deliver to <paramref name="memberId"/> (dial or write failed, queue full).</summary>
    public void PeerUnreachable(ulong memberId) => Followers.SendFailed(memberId);

    /// <summary>
    /// The core's leader or role changed. Like etcd, <c>leaderInfo.startTime</c> moves only when a different member
    /// leads (an election that re-elects the same one, or a moment without a leader, keeps it).
    /// </summary>
    public void LeadershipChanged(ulong leader, bool isLocalLeader)
    {
        if (!isLocalLeader)
        {
            Followers.ForgetWaiting();
        }

        if (leader != 0 && leader != _lastLeader)
        {
            _lastLeader = leader;
            _node.LeaderSince = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Roughly the encoded size (etcd counts the protobuf size): each entry's <see cref="Entry.Size"/> plus a fixed
    /// allowance for the header. Rates only need the order of magnitude, so the message is not encoded twice.
    /// </summary>
    public static int ApproximateSize(Message message)
    {
        long size = 40 + message.Context.Length;
        foreach (var entry in message.Entries)
        {
            size += entry.Size;
        }

        return (int)Math.Min(size, int.MaxValue);
    }
}
