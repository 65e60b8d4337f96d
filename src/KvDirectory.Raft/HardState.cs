namespace KvDirectory.Raft;

/// <summary>The state a node must persist before sending any message that depends on it.</summary>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit)
{
    public static HardState Empty => default;

    public bool IsEmpty => Term == 0 && Vote == 0 && Commit == 0;
}
