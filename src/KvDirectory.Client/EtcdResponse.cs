using System.Net;

namespace KvDirectory.Client;

/// <summary>A completed HTTP answer: status, the etcd/raft headers clients care about, and the whole body.</summary>
public sealed record EtcdResponse(HttpStatusCode Status, string Body, Uri Endpoint)
{
    public long? EtcdIndex { get; init; }

    public long? RaftIndex { get; init; }

    public long? RaftTerm { get; init; }

    public string? ClusterId { get; init; }
}
