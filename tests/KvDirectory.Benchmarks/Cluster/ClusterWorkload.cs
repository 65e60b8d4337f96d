namespace KvDirectory.Benchmarks.Cluster;

/// <summary>One measured workload of the cluster benchmark: what is sent, and to which member (the leader or a follower).</summary>
public sealed record ClusterWorkload(string Name, bool ViaLeader, string Method, string GetQuery = "")
{
    /// <summary>Writes through the leader and through a follower (which forwards them), and linearizable reads through both.</summary>
    public static IReadOnlyList<ClusterWorkload> All { get; } =
    [
        new("PUT leader", ViaLeader: true, "PUT"),
        new("PUT follower", ViaLeader: false, "PUT"),
        new("QGET follower", ViaLeader: false, "GET", "?quorum=true"),
        new("QGET leader", ViaLeader: true, "GET", "?quorum=true"),
    ];

    /// <summary>The name on the command line: "PUT leader" is put-leader.</summary>
    public string Option => Name.ToLowerInvariant().Replace(' ', '-');

    public static ClusterWorkload Parse(string option) =>
        All.FirstOrDefault(w => w.Option == option)
        ?? throw new ArgumentException($"unknown cluster workload '{option}'; known: {string.Join(',', All.Select(w => w.Option))}");

    public HttpMethod HttpMethod => Method == "PUT" ? HttpMethod.Put : HttpMethod.Get;
}
