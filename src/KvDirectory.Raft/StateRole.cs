namespace KvDirectory.Raft;

public enum StateRole : byte
{
    Follower = 0,
    Candidate = 1,
    Leader = 2,
    PreCandidate = 3,
}

/// <summary>Volatile state worth telling the driver about; never persisted.</summary>
public readonly record struct SoftState(ulong Lead, StateRole Role);

/// <summary>
/// The answer to a ReadIndex request: once the local applied index reaches <see cref="Index"/>, a
/// read for <see cref="Context"/> is linearizable.
/// </summary>
public sealed record ReadState(ulong Index, ReadOnlyMemory<byte> Context);
