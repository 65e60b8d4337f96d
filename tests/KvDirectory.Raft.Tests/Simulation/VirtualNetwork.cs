using KvDirectory.Raft;

namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>
/// A seeded, tick-driven network: every message is delayed a random number of ticks (which reorders
/// them), may be dropped or duplicated, and never crosses a blocked link.
/// </summary>
internal sealed class VirtualNetwork(Random random)
{
    private readonly List<(long DeliverAt, long Sequence, Message Message)> _inFlight = [];
    private readonly HashSet<(ulong From, ulong To)> _blocked = [];
    private long _sequence;

    public double DropRate { get; set; }

    public double DuplicateRate { get; set; }

    public int MaxDelay { get; set; }

    public int InFlightCount => _inFlight.Count;

    public bool IsBlocked(ulong from, ulong to) => _blocked.Contains((from, to));

    public void Block(ulong from, ulong to) => _blocked.Add((from, to));

    /// <summary>Cuts every link between the two groups, in both directions.</summary>
    public void Partition(IReadOnlyCollection<ulong> a, IReadOnlyCollection<ulong> b)
    {
        foreach (var x in a)
        foreach (var y in b)
        {
            _blocked.Add((x, y));
            _blocked.Add((y, x));
        }
    }

    public void Heal() => _blocked.Clear();

    /// <summary>Accepts a message for delivery; returns false when it was lost on the way.</summary>
    public bool Send(long now, Message message)
    {
        if (_blocked.Contains((message.From, message.To)) || random.NextDouble() < DropRate) return false;
        _inFlight.Add((now + random.Next(MaxDelay + 1), _sequence++, message));
        if (random.NextDouble() < DuplicateRate) _inFlight.Add((now + random.Next(MaxDelay + 1), _sequence++, message));
        return true;
    }

    /// <summary>
    /// Removes and returns the messages due by <paramref name="now"/>, shuffled; those a partition cut
    /// while in flight go to <paramref name="lost"/> so the sender can be told.
    /// </summary>
    public List<Message> TakeDue(long now, List<Message> lost)
    {
        var due = new List<Message>();
        for (var i = _inFlight.Count - 1; i >= 0; i--)
        {
            if (_inFlight[i].DeliverAt > now) continue;
            // A partition that appears while a message is in flight cuts it too.
            var m = _inFlight[i].Message;
            if (_blocked.Contains((m.From, m.To))) lost.Add(m);
            else due.Add(m);
            _inFlight.RemoveAt(i);
        }
        for (var i = due.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (due[i], due[j]) = (due[j], due[i]);
        }
        return due;
    }
}
