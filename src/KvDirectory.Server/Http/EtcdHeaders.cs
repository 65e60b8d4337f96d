namespace KvDirectory.Server.Http;

/// <summary>Header names as etcd (Go's canonical form) writes them.</summary>
public static class EtcdHeaders
{
    public const string EtcdIndex = "X-Etcd-Index";
    public const string RaftIndex = "X-Raft-Index";
    public const string RaftTerm = "X-Raft-Term";
    public const string ClusterId = "X-Etcd-Cluster-Id";
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain; charset=utf-8";
}
