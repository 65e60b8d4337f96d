namespace KvDirectory.Cluster.Tests;

/// <summary>
/// One write the workload sent. <see cref="Acknowledged"/> ones carry the server's answer; the others got
/// no answer (connection reset by the kill, timeout) and may or may not have been applied.
/// </summary>
public sealed record WriteRecord(WriteKind Kind, string Key, string? Value, long? Ttl)
{
    public bool Acknowledged { get; init; }

    /// <summary>The key the server named (differs from <see cref="Key"/> for POST, which names the directory).</summary>
    public string? AnsweredKey { get; init; }

    public long ModifiedIndex { get; init; }

    public long EtcdIndex { get; init; }

    public bool RemovesKey => Kind is WriteKind.Delete or WriteKind.CompareAndDelete;

    public override string ToString() =>
        $"{Kind} {AnsweredKey ?? Key}{(Value is null ? string.Empty : "=" + Value)}{(Ttl is null ? string.Empty : $" ttl={Ttl}")}" +
        (Acknowledged ? $" acked@{ModifiedIndex} (X-Etcd-Index {EtcdIndex})" : " unknown outcome");
}
