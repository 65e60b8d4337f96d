using System.Buffers.Binary;
using KvDirectory.Raft;

namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>Raft's safety properties, checked continuously while the simulator runs.</summary>
internal sealed class SafetyChecker
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];
    private readonly Dictionary<ulong, ulong> _committedTerm = [];
    private readonly Dictionary<ulong, Entry> _applied = [];
    private readonly Dictionary<ulong, ulong> _readFloor = [];
    private ulong _maxCommitted;

    public ulong MaxCommitted => _maxCommitted;

    public int ReadsAnswered { get; private set; }

    public ulong MaxApplied { get; private set; }

    /// <summary>Election safety: at most one leader per term.</summary>
    public void CheckLeaders(IEnumerable<SimulatedNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (node.Raft is not { } raft || raft.Raft.Role != StateRole.Leader) continue;
            var term = raft.Raft.Term;
            if (_leaderOfTerm.TryGetValue(term, out var other) && other != node.Id)
                throw new SimulationFailure($"two leaders in term {term}: {other} and {node.Id}");
            _leaderOfTerm[term] = node.Id;
        }
    }

    /// <summary>Committed entries never change: every index once committed keeps its term on every node.</summary>
    public void CheckCommitted(SimulatedNode node)
    {
        if (node.Raft is not { } raw) return;
        var log = raw.Raft.Log;
        var commit = log.Committed;
        if (commit < node.LastCommitSeen)
            throw new SimulationFailure($"node {node.Id} commit went back from {node.LastCommitSeen} to {commit}");
        for (var i = Math.Max(node.LastCommitSeen + 1, log.FirstIndex()); i <= commit; i++)
        {
            var term = log.MaybeTerm(i) ?? throw new SimulationFailure($"node {node.Id} lost committed entry {i}");
            if (_committedTerm.TryGetValue(i, out var known) && known != term)
                throw new SimulationFailure($"committed entry {i} changed term from {known} to {term} on node {node.Id}");
            _committedTerm[i] = term;
        }
        node.LastCommitSeen = commit;
        _maxCommitted = Math.Max(_maxCommitted, commit);
    }

    /// <summary>State machine safety: every node applies a prefix of one common sequence, in order.</summary>
    public void OnApply(SimulatedNode node, in Entry entry)
    {
        if (entry.Index != node.Applied + 1)
            throw new SimulationFailure($"node {node.Id} applied {entry.Index} after {node.Applied}");
        if (_applied.TryGetValue(entry.Index, out var known))
        {
            if (!known.Equals(entry))
                throw new SimulationFailure($"node {node.Id} applied a different entry at {entry.Index}: term {entry.Term} vs {known.Term}");
        }
        else
        {
            _applied[entry.Index] = entry;
        }
        MaxApplied = Math.Max(MaxApplied, entry.Index);
    }

    public void OnSnapshotApplied(SimulatedNode node, Snapshot snapshot)
    {
        var index = snapshot.Metadata.Index;
        if (index <= node.Applied)
            throw new SimulationFailure($"node {node.Id} got snapshot {index} at applied {node.Applied}");
        if (BinaryPrimitives.ReadUInt64LittleEndian(snapshot.Data.Span) != index)
            throw new SimulationFailure($"snapshot data does not match its index {index}");
        if (!_applied.TryGetValue(index, out var known) || known.Term != snapshot.Metadata.Term)
            throw new SimulationFailure($"snapshot at {index}/{snapshot.Metadata.Term} is not of the applied sequence");
    }

    /// <summary>A read issued now must be answered at an index covering everything committed so far.</summary>
    public void OnReadIssued(ReadOnlyMemory<byte> context) => _readFloor[Key(context)] = _maxCommitted;

    public void OnReadAnswered(SimulatedNode node, ReadState state)
    {
        // The network duplicates messages, so an answer may arrive twice; only the first one is checked.
        if (!_readFloor.Remove(Key(state.Context), out var floor)) return;
        if (state.Index < floor)
            throw new SimulationFailure($"read index {state.Index} went back behind committed {floor} on node {node.Id}");
        ReadsAnswered++;
    }

    public void ForgetRead(ReadOnlyMemory<byte> context) => _readFloor.Remove(Key(context));

    private static ulong Key(ReadOnlyMemory<byte> context) => BinaryPrimitives.ReadUInt64LittleEndian(context.Span);
}

internal sealed class SimulationFailure(string message) : Exception(message);
