using KvDirectory.Testing;
using System.Net;
using KvDirectory.Protocol;
using KvDirectory.Testing.Faults;
using System.Text.Json;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Three real server processes bootstrapped together on free loopback ports, each with its own temp data dir.
/// Readiness, leadership and replication are observed by polling HTTP with a deadline, never by sleeping.
/// Disposing kills every process and deletes the data dirs. Started with spares, its membership can change at
/// runtime (<see cref="Join"/>, <see cref="Forget"/>): spares get their ports, data dirs and proxy links up front.
/// </summary>
public sealed class ThreeNodeCluster : IAsyncDisposable
{
    /// <summary>For liveness after a fault or a heal; generous, because a loaded CI machine (load 70 on 2 cores seen) is slow at everything.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>For three processes starting together on a loaded machine (a dotnet start alone took 25 s at load 35).</summary>
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    private readonly string _root;

    private readonly IReadOnlyList<string> _extraArguments;
    private readonly Dictionary<string, string[]> _memberArguments = [];
    private readonly IReadOnlyList<ThreeNodeMember> _everyone;
    private readonly Lock _gate = new();
    private readonly Dictionary<ThreeNodeMember, (string InitialCluster, string State)> _joined = [];
    private ThreeNodeMember[] _members;
    private ProxyMesh? _mesh;

    private ThreeNodeCluster(string root, IReadOnlyList<ThreeNodeMember> members, IReadOnlyList<ThreeNodeMember> spares, IReadOnlyList<string> extraArguments)
    {
        _root = root;
        _extraArguments = extraArguments;
        _members = [.. members];
        _everyone = [.. members, .. spares];
        Spares = spares;
        InitialCluster = string.Join(',', members.Select(m => $"{m.Name}={m.PeerUrl}"));
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The members of the cluster as the harness knows it: bootstrapped or joined, not forgotten (dead ones included).</summary>
    public IReadOnlyList<ThreeNodeMember> Members => Volatile.Read(ref _members);

    /// <summary>Members prepared up front (ports, data dir, proxy links) that are not started until they <see cref="Join"/>.</summary>
    public IReadOnlyList<ThreeNodeMember> Spares { get; }

    public string InitialCluster { get; }

    public HttpClient Http { get; }

    /// <summary>The pair proxies peer traffic crosses when started with <c>dialThroughProxies</c> (partition tests cut them).</summary>
    public ProxyMesh Mesh => _mesh ?? throw new InvalidOperationException("started without dialThroughProxies");

    public IEnumerable<ThreeNodeMember> Running => Members.Where(m => m.IsRunning);

    public string Output => string.Join(Environment.NewLine, _everyone.Select(m => m.Output));

    /// <param name="extraArguments">Flags every member starts with (e.g. a small <c>--snapshot-count</c>).</param>
    public static Task<ThreeNodeCluster> StartAsync(params string[] extraArguments) => StartAsync(dialThroughProxies: false, extraArguments);

    public static Task<ThreeNodeCluster> StartAsync(bool dialThroughProxies, params string[] extraArguments) =>
        StartAsync(dialThroughProxies, spares: 0, extraArguments);

    /// <summary>
    /// With <paramref name="dialThroughProxies"/>, every member reaches each peer through its own <see cref="FaultProxy"/>
    /// of a <see cref="ProxyMesh"/> (<c>--peer-dial-override</c>), exposed as <see cref="Mesh"/>.
    /// </summary>
    /// <param name="spares">How many more members (named d, e, …) to prepare for <see cref="Join"/>.</param>
    public static async Task<ThreeNodeCluster> StartAsync(bool dialThroughProxies, int spares, params string[] extraArguments)
    {
        var root = Path.Combine(Path.GetTempPath(), $"kvdirectory-3node-{Guid.NewGuid():N}");
        ThreeNodeMember[] Prepare(IEnumerable<char> names) => [.. names.Select(n => new ThreeNodeMember($"{n}", Path.Combine(root, $"{n}")))];
        var cluster = new ThreeNodeCluster(root, Prepare("abc"), Prepare(Enumerable.Range('d', spares).Select(c => (char)c)), extraArguments);
        try
        {
            if (dialThroughProxies)
            {
                cluster._mesh = ProxyMesh.Start(cluster._everyone.ToDictionary(
                    m => m.Name,
                    m => new IPEndPoint(IPAddress.Loopback, new Uri(m.PeerUrl).Port)));
                foreach (var member in cluster._everyone)
                {
                    cluster._memberArguments[member.Name] = [ProxyMesh.DialOverrideFlag, cluster._mesh.DialOverrides(member.Name)];
                }
            }

            foreach (var member in cluster.Members)
            {
                cluster.Launch(member);
            }

            // In parallel: each wait is a poll, and the members come up together anyway.
            await Task.WhenAll(cluster.Members.Select(m => cluster.WaitUntilHealthyAsync(m, StartDeadline)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public ThreeNodeMember this[string name] => Members.Single(m => m.Name == name);

    public async Task RestartAsync(ThreeNodeMember member)
    {
        Launch(member);
        await WaitUntilHealthyAsync(member);
    }

    /// <summary>Starts a stopped member again without waiting for it (it may be partitioned away from any leader).</summary>
    public void Launch(ThreeNodeMember member)
    {
        (string InitialCluster, string State) join;
        lock (_gate)
        {
            join = _joined.GetValueOrDefault(member, (InitialCluster, "new"));
        }

        member.Start(join.InitialCluster, [.. ArgumentsFor(member), "--initial-cluster-state", join.State]);
    }

    /// <summary>
    /// Starts a spare the cluster already accepted (<c>POST /v2/members</c> answered) with <c>--initial-cluster-state
    /// existing</c> and <paramref name="initialCluster"/>, and counts it a member from now on. Does not wait for it.
    /// </summary>
    public void Join(ThreeNodeMember spare, string initialCluster)
    {
        lock (_gate)
        {
            if (!Spares.Contains(spare) || _joined.ContainsKey(spare))
            {
                throw new InvalidOperationException($"{spare.Name} is not a spare that has yet to join");
            }

            _joined[spare] = (initialCluster, "existing");
            _members = [.. _members, spare];
        }

        Launch(spare);
    }

    /// <summary>The cluster removed <paramref name="member"/>: it is no member from now on (its process is left alone).</summary>
    public void Forget(ThreeNodeMember member)
    {
        lock (_gate)
        {
            _members = [.. _members.Where(m => m != member)];
        }
    }

    /// <summary>Every member ever started or prepared, removed ones included.</summary>
    public IReadOnlyList<ThreeNodeMember> Everyone => _everyone;

    /// <summary>The member's <c>GET /v2/admin/digest</c>: its store index and the hash of its whole tree at that index.</summary>
    public async Task<StoreDigest> DigestAsync(ThreeNodeMember member) =>
        JsonSerializer.Deserialize(await Http.GetStringAsync(new Uri(member.ClientUrl, "/v2/admin/digest")), ProtocolJsonContext.Default.StoreDigest)
        ?? throw new InvalidOperationException($"{member.Name} answered an empty digest");

    /// <summary>/health answers 200 once the member knows a leader.</summary>
    public Task WaitUntilHealthyAsync(ThreeNodeMember member, TimeSpan? timeout = null) =>
        PollAsync($"{member.Name} healthy", () => IsHealthyAsync(member), timeout);

    private async Task<bool> IsHealthyAsync(ThreeNodeMember member)
    {
        if (!member.IsRunning)
        {
            throw new InvalidOperationException($"{member.Name} exited before it was healthy:\n{member.Output}");
        }

        using var response = await Http.GetAsync(new Uri(member.ClientUrl, "/health"));
        return response.IsSuccessStatusCode;
    }

    /// <summary>The member every running member reports as leader, once they agree and it calls itself leader.</summary>
    /// <param name="among">The members to ask (running members of the cluster when not given).</param>
    public async Task<ThreeNodeMember> WaitForLeaderAsync(IEnumerable<ThreeNodeMember>? among = null)
    {
        ThreeNodeMember? leader = null;
        await PollAsync("an agreed leader", async () =>
        {
            var running = (among ?? Running).Where(m => m.IsRunning).ToArray();
            var index = await AgreedLeader.FindAsync(Http, [.. running.Select(m => m.ClientUrl)]);
            leader = index is { } i ? running[i] : null;
            return leader is not null;
        });
        return leader!;
    }

    public async Task<HttpResponseMessage> PutAsync(ThreeNodeMember member, string key, string value) =>
        await Http.PutAsync(
            new Uri(member.ClientUrl, $"/v2/keys/{key}"),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("value", value)]));

    /// <summary>A write through <paramref name="member"/>, retried while the cluster is still settling (e.g. right after an election).</summary>
    public Task PutEventuallyAsync(ThreeNodeMember member, string key, string value) => PollAsync($"PUT {key} on {member.Name}", async () =>
    {
        using var response = await PutAsync(member, key, value);
        return response.IsSuccessStatusCode;
    });

    /// <summary>The value of <paramref name="key"/> as <paramref name="member"/> answers it; null when the key does not exist.</summary>
    public async Task<string?> GetAsync(ThreeNodeMember member, string key, bool quorum)
    {
        using var response = await Http.GetAsync(new Uri(member.ClientUrl, $"/v2/keys/{key}{(quorum ? "?quorum=true" : string.Empty)}"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("node").GetProperty("value").GetString();
    }

    private string[] ArgumentsFor(ThreeNodeMember member) =>
        [.. _extraArguments, .. _memberArguments.GetValueOrDefault(member.Name, [])];

    public async Task PollAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Deadline;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {what} after {limit}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_everyone.Select(m => m.KillAsync()));

        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }

        Http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Includes DirectoryNotFoundException: a temp dir left behind is harmless.
        }
    }
}
