namespace KvDirectory.Benchmarks.Single;

/// <summary>One single-node workload: its name on the command line and in the table, and the requests it sends.</summary>
public sealed record SingleWorkload(string Name, string Description)
{
    public static SingleWorkload Put { get; } = new("put", "PUT to a random preloaded key");

    public static SingleWorkload Get { get; } = new("get", "GET of a random preloaded key");

    public static SingleWorkload QuorumGet { get; } = new("qget", "GET ?quorum=true of a random key");

    public static SingleWorkload Mixed { get; } = new("mixed", "90% GET, 10% PUT");

    public static SingleWorkload CompareAndSwap { get; } = new("cas", "PUT ?prevValue= (always matching)");

    public static SingleWorkload RecursiveGet { get; } = new("rget", "GET ?recursive=true of the whole preloaded directory");

    /// <summary>Not a closed loop: parked long polls on one key, one write; see <see cref="WatchFanOut"/>.</summary>
    public static SingleWorkload Watch { get; } = new("watch", "parked ?wait=true polls on one key answered by one write");

    public static IReadOnlyList<SingleWorkload> All { get; } = [Put, Get, QuorumGet, Mixed, CompareAndSwap, RecursiveGet, Watch];

    public static SingleWorkload Parse(string name) =>
        All.FirstOrDefault(w => w.Name == name)
        ?? throw new ArgumentException($"unknown workload '{name}'; known: {string.Join(',', All.Select(w => w.Name))}");

    /// <summary>The next request of this closed-loop workload from one connection.</summary>
    public Func<Random, HttpRequestMessage> Requests(LoadGenerator load, int keys) => Name switch
    {
        "put" => random => load.Put(random.Next(keys)),
        "get" => random => load.Get(random.Next(keys), string.Empty),
        "qget" => random => load.Get(random.Next(keys), "?quorum=true"),
        "mixed" => random => random.Next(10) == 0 ? load.Put(random.Next(keys)) : load.Get(random.Next(keys), string.Empty),
        "cas" => random => load.Put(random.Next(keys), compareAndSwap: true),
        "rget" => _ => load.GetPath("/v2/keys/bench?recursive=true"),
        _ => throw new InvalidOperationException($"{Name} is not a closed-loop workload"),
    };
}
