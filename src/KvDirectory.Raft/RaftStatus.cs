using KvDirectory.Raft.Tracking;

namespace KvDirectory.Raft;

/// <summary>The leader's view of one member's replication.</summary>
public sealed record PeerProgress(ulong Match, ulong Next, ProgressState State, bool IsLearner, bool RecentActive);

/// <summary>A point-in-time picture of a member, for status endpoints and tests.</summary>
public sealed record RaftStatus(
    ulong Id,
    HardState HardState,
    SoftState SoftState,
    ulong Applied,
    ulong LastIndex,
    ulong LeadTransferee,
    ConfState Config,
    IReadOnlyDictionary<ulong, PeerProgress> Progress);
