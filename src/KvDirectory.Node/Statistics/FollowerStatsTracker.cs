using KvDirectory.Protocol;

namespace KvDirectory.Node.Statistics;

/// <summary>Which request a follower answers: the leader's appends and heartbeats are timed separately.</summary>
public enum FollowerRequestKind
{
    Append,
    Heartbeat,
}

/// <summary>
/// The leader's view of each follower for <c>/v2/stats/leader</c>: how long appends and heartbeats take to be
/// answered (in milliseconds) and how many were answered versus failed. Send times wait in one FIFO per follower
/// and request kind; the peer connection is ordered and a follower answers each request once and in order, so
/// the oldest waiting send is the one an answer belongs to. A rejected append, a peer reported unreachable (dial
/// or write failure, full send queue) count as failures; unreachable also discards the sends still waiting,
/// since their answers are not coming. Followers persist across terms, as etcd keeps its leader stats for the
/// life of the process; only members that left the cluster are forgotten (see <see cref="Snapshot"/>).
/// Thread-safe: the node's thread records, HTTP threads read.
/// </summary>
public sealed class FollowerStatsTracker(TimeProvider time, int maxWaitingPerKind = 1_024)
{
    /// <summary>etcd seeds each follower's minimum with 1&lt;&lt;63 so the first answer always lowers it.</summary>
    public const double UnsetMinimum = 9223372036854775808d;

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Follower> _followers = [];

    public void RequestSent(ulong follower, FollowerRequestKind kind)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var waiting = Get(follower).Waiting(kind);
            if (waiting.Count >= maxWaitingPerKind)
            {
                // Answers this old are not coming; keep the queue bounded.
                waiting.Dequeue();
            }

            waiting.Enqueue(now);
        }
    }

    /// <summary>An answer from <paramref name="follower"/>; ignored when nothing of that kind was waiting (e.g. sent in an earlier term).</summary>
    public void ResponseReceived(ulong follower, FollowerRequestKind kind, bool rejected)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var state = Get(follower);
            if (!state.Waiting(kind).TryDequeue(out var sentAt))
            {
                return;
            }

            if (rejected)
            {
                state.Fail++;
            }
            else
            {
                state.Succeed(time.GetElapsedTime(sentAt, now).TotalMilliseconds);
            }
        }
    }

    /// <summary>Sending to <paramref name="follower"/> failed: one failure, and nothing still waiting will be answered.</summary>
    public void SendFailed(ulong follower)
    {
        lock (_lock)
        {
            var state = Get(follower);
            state.Fail++;
            state.Appends.Clear();
            state.Heartbeats.Clear();
        }
    }

    /// <summary>This node stopped leading: answers to what it sent no longer time anything.</summary>
    public void ForgetWaiting()
    {
        lock (_lock)
        {
            foreach (var state in _followers.Values)
            {
                state.Appends.Clear();
                state.Heartbeats.Clear();
            }
        }
    }

    /// <summary>
    /// Statistics for exactly <paramref name="followers"/> (the current members other than this one), keyed by id;
    /// a follower never heard from shows zeros. Followers no longer listed are dropped for good.
    /// </summary>
    public IReadOnlyDictionary<ulong, FollowerStatistics> Snapshot(IEnumerable<ulong> followers)
    {
        var wanted = followers.ToHashSet();
        lock (_lock)
        {
            foreach (var gone in _followers.Keys.Where(id => !wanted.Contains(id)).ToArray())
            {
                _followers.Remove(gone);
            }

            return wanted.ToDictionary(id => id, id => Get(id).ToStatistics());
        }
    }

    private Follower Get(ulong id)
    {
        if (!_followers.TryGetValue(id, out var state))
        {
            state = new Follower();
            _followers[id] = state;
        }

        return state;
    }

    private sealed class Follower
    {
        public Queue<long> Appends { get; } = new();

        public Queue<long> Heartbeats { get; } = new();

        public long Success { get; private set; }

        public long Fail { get; set; }

        private double _current;
        private double _average;
        private double _averageOfSquares;
        private double _minimum = UnsetMinimum;
        private double _maximum;

        public Queue<long> Waiting(FollowerRequestKind kind) => kind == FollowerRequestKind.Append ? Appends : Heartbeats;

        /// <summary>Running mean and mean of squares, so the deviation needs no history: sqrt(E[x²] − E[x]²).</summary>
        public void Succeed(double milliseconds)
        {
            var previous = (double)Success;
            Success++;
            _current = milliseconds;
            _maximum = Math.Max(_maximum, milliseconds);
            _minimum = Math.Min(_minimum, milliseconds);
            _average = ((_average * previous) + milliseconds) / Success;
            _averageOfSquares = ((_averageOfSquares * previous) + (milliseconds * milliseconds)) / Success;
        }

        public FollowerStatistics ToStatistics() => new()
        {
            Latency = new LatencyStatistics
            {
                Current = _current,
                Average = _average,
                // Rounding can push the difference a hair below zero for identical samples.
                StandardDeviation = Math.Sqrt(Math.Max(0, _averageOfSquares - (_average * _average))),
                Minimum = _minimum,
                Maximum = _maximum,
            },
            Counts = new CountStatistics { Success = Success, Fail = Fail },
        };
    }
}
