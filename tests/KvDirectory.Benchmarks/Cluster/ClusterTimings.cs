namespace KvDirectory.Benchmarks.Cluster;

/// <summary>Raft timing both clusters start with, so neither gets an advantage from them (etcd's defaults: 100 ms / 1000 ms).</summary>
public sealed record ClusterTimings(int HeartbeatMilliseconds = 100, int ElectionMilliseconds = 1_000);
