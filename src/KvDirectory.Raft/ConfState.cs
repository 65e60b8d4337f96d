namespace KvDirectory.Raft;

/// <summary>The membership of the cluster: who votes and who only follows. Immutable, replaced whole.</summary>
public sealed class ConfState : IEquatable<ConfState>
{
    public static ConfState Empty { get; } = new([], []);

    public ConfState(IEnumerable<ulong> voters, IEnumerable<ulong> learners)
    {
        ArgumentNullException.ThrowIfNull(voters);
        ArgumentNullException.ThrowIfNull(learners);
        Voters = voters.Distinct().Order().ToArray();
        Learners = learners.Distinct().Order().ToArray();
        if (Voters.Intersect(Learners).Any())
            throw new ArgumentException($"a member cannot be both voter and learner: {this}", nameof(learners));
    }

    public ConfState(params ulong[] voters) : this(voters, [])
    {
    }

    public IReadOnlyList<ulong> Voters { get; }

    public IReadOnlyList<ulong> Learners { get; }

    public bool IsEmpty => Voters.Count == 0 && Learners.Count == 0;

    public bool Equals(ConfState? other) =>
        other is not null && Voters.SequenceEqual(other.Voters) && Learners.SequenceEqual(other.Learners);

    public override bool Equals(object? obj) => Equals(obj as ConfState);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in Voters) hash.Add(v);
        hash.Add(0UL);
        foreach (var l in Learners) hash.Add(l);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"voters=({string.Join(' ', Voters)}) learners=({string.Join(' ', Learners)})";
}
