using KvDirectory.Protocol;

namespace KvDirectory.Client;

/// <summary>What one endpoint says about itself: its stats, version and the raft position of its store.</summary>
public sealed record EndpointStatus(Uri Endpoint, ServerStatistics Self, VersionInfo Version, long RaftIndex, long RaftTerm);
