namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// What must hold of the members' histories, checked after every step: at most one leader per term; within one
/// incarnation the applied Raft index and the etcd index never go back; and two members (or two incarnations of one)
/// that have applied the log up to the same index hold the same store, byte for byte — so every member's applied
/// sequence is a prefix of one history.
/// </summary>
internal sealed class HistoryChecker
{
    private readonly Dictionary<long, ulong> _leaderOfTerm = [];
    private readonly Dictionary<ulong, (long EtcdIndex, string Digest, string Who)> _stateAt = [];
    private readonly Dictionary<ulong, (int Incarnation, ulong Applied, long EtcdIndex)> _last = [];

    /// <summary>Distinct applied indexes whose store was compared (a measure of how much the run checked).</summary>
    public int StatesCompared { get; private set; }

    public void Observe(SimulatedMember member)
    {
        var node = member.Node!;
        var store = member.Store!;
        var who = $"member {member.Id:x} (incarnation {member.Incarnation})";
        var status = node.Status;
        if (status.Role == NodeRole.Leader)
        {
            if (_leaderOfTerm.TryGetValue(status.Term, out var other) && other != member.Id)
            {
                throw new SimulationFailure($"two leaders in term {status.Term}: {other:x} and {member.Id:x}");
            }

            _leaderOfTerm[status.Term] = member.Id;
        }

        var applied = node.AppliedIndex;
        var known = _last.TryGetValue(member.Id, out var last) && last.Incarnation == member.Incarnation;
        if (known && applied == last.Applied)
        {
            return;
        }

        var (etcdIndex, digest) = store.ComputeIndexedDigest();
        if (known && (applied < last.Applied || etcdIndex < last.EtcdIndex))
        {
            throw new SimulationFailure($"{who} went back from applied {last.Applied} (etcd index {last.EtcdIndex}) to {applied} ({etcdIndex})");
        }

        _last[member.Id] = (member.Incarnation, applied, etcdIndex);
        if (_stateAt.TryGetValue(applied, out var seen))
        {
            if (seen.Digest != digest || seen.EtcdIndex != etcdIndex)
            {
                throw new SimulationFailure(
                    $"at applied index {applied} {who} holds store {digest[..12]} (etcd index {etcdIndex}) but {seen.Who} held {seen.Digest[..12]} (etcd index {seen.EtcdIndex}): the applied histories diverged");
            }

            return;
        }

        _stateAt[applied] = (etcdIndex, digest, who);
        StatesCompared++;
    }
}

internal sealed class SimulationFailure(string message) : Exception(message);
