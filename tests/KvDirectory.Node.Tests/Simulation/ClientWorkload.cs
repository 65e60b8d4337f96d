using KvDirectory.Node.Loop;
using KvDirectory.Protocol;
using KvDirectory.Store;

namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// Clients writing real store commands through a member's request path (the same inbox
/// <see cref="ReplicatedNode.ProposeAsync"/> uses): unique keys, and overwrites of a few hot keys. A write is
/// acknowledged when the member completes its request — seen right after the step that did it. At the end every
/// acknowledged write must be on every member: a unique key with its value and index, a hot key at that index or later.
/// </summary>
internal sealed class ClientWorkload(Random random)
{
    private const int HotKeys = 4;

    private readonly List<(ulong Member, int Incarnation, string Key, string Value, ProposalInput Request)> _pending = [];
    private readonly List<(string Key, string Value, long ModifiedIndex)> _acknowledged = [];
    private int _next;

    public int Proposed => _next;

    public int Acknowledged => _acknowledged.Count;

    /// <summary>Requests a member's crash left without an answer: the client cannot tell whether they happened.</summary>
    public int Indeterminate { get; private set; }

    public void Write(SimulatedMember member)
    {
        var id = ++_next;
        var key = random.Next(3) == 0 ? $"/hot/{random.Next(HotKeys)}" : $"/k/{id}";
        var value = $"v{id}";
        var request = member.Node!.Submit(new SetCommand(key, false, value, null, false));
        _pending.Add((member.Id, member.Incarnation, key, value, request));
    }

    /// <summary>Records what the member answered in the step that just ran (none from a step its machine died in).</summary>
    public void CollectAnswers(SimulatedMember member)
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var (id, incarnation, key, value, request) = _pending[i];
            if (id != member.Id || incarnation != member.Incarnation || !request.Completion.Task.IsCompleted)
            {
                continue;
            }

            _pending.RemoveAt(i);
            if (request.Completion.Task.IsCompletedSuccessfully)
            {
                var answer = request.Completion.Task.Result;
                if (answer.Node?.Key != key || answer.Node.Value != value)
                {
                    throw new SimulationFailure($"the write of {key}={value} was answered with {answer.Node?.Key}={answer.Node?.Value}");
                }

                _acknowledged.Add((key, value, answer.Node.ModifiedIndex));
            }
        }
    }

    /// <summary>A member crashed: what it had not answered stays unanswered.</summary>
    public void Forget(SimulatedMember member) =>
        Indeterminate += _pending.RemoveAll(p => p.Member == member.Id && p.Incarnation == member.Incarnation);

    /// <summary>No acknowledged write was lost: checked on a member once the cluster has healed and caught up.</summary>
    public void CheckNothingAcknowledgedWasLost(SimulatedMember member)
    {
        foreach (var (key, value, modifiedIndex) in _acknowledged)
        {
            EtcdNode? stored;
            try
            {
                stored = member.Store!.Get(key, recursive: false, sorted: false).Node;
            }
            catch (EtcdException error) when (error.ErrorCode == EtcdErrorCode.KeyNotFound)
            {
                stored = null;
            }

            var kept = key.StartsWith("/hot/", StringComparison.Ordinal)
                ? stored is not null && (stored.ModifiedIndex > modifiedIndex || (stored.ModifiedIndex == modifiedIndex && stored.Value == value))
                : stored is not null && stored.ModifiedIndex == modifiedIndex && stored.Value == value;
            if (!kept)
            {
                throw new SimulationFailure(
                    $"acknowledged write {key}={value} at etcd index {modifiedIndex} is lost on member {member.Id:x}: it holds {(stored is null ? "nothing" : $"{stored.Value} at {stored.ModifiedIndex}")}");
            }
        }
    }
}
