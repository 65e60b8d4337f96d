using KvDirectory.Testing;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// A cluster of real etcd 3.4 or KvDirectory processes (<see cref="Server"/>) whose membership changes at runtime
/// through <c>/v2/members</c>, as an operator does it: POST the new peer URL, then start the new process with
/// <c>--initial-cluster-state existing</c>. Every member runs on free loopback ports with its own temp data dir.
/// Everything is observed by polling HTTP with a deadline, never by sleeping. Disposing kills every process it
/// ever started (removed ones too) and deletes the data dirs.
/// </summary>
public sealed class MembershipCluster : IAsyncDisposable
{
    public const string HeartbeatMilliseconds = "100";

    public const string ElectionTimeoutMilliseconds = "1000";

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly IReadOnlyList<string> _extraArguments;
    private readonly List<MembershipMember> _started = [];
    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _events = new();
    private MembershipMember[] _members = [];
    private MembershipMember[] _removed = [];
    private int _names;

    private MembershipCluster(Server server, IReadOnlyList<string> extraArguments)
    {
        Server = server;
        _extraArguments = extraArguments;
        _root = Path.Combine(Path.GetTempPath(), $"kvdirectory-membership-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        Token = $"membership-{Guid.NewGuid():N}";
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public Server Server { get; }

    public string Token { get; }

    public HttpClient Http { get; }

    /// <summary>The cluster's members as the harness changed it: bootstrapped or added, not removed (dead ones included).</summary>
    public IReadOnlyList<MembershipMember> Members => Volatile.Read(ref _members);

    /// <summary>Members removed through <see cref="RemoveMemberAsync"/> (their processes may still run).</summary>
    public IReadOnlyList<MembershipMember> Removed => Volatile.Read(ref _removed);

    /// <summary>What the harness had to wait out (e.g. refused reconfigurations), for the test output.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    public IEnumerable<MembershipMember> Running => Members.Where(m => m.IsRunning);

    /// <summary>Everything every process printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _started.Select(m => m.Output));
            }
        }
    }

    /// <summary>Bootstraps a brand-new cluster of <paramref name="size"/> members and waits until they agree on a leader.</summary>
    /// <param name="extraArguments">Flags every member (also every later added one) starts with.</param>
    public static async Task<MembershipCluster> StartAsync(Server server, int size, params string[] extraArguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await BootstrapAsync(server, size, extraArguments);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took one of the ports between choosing and binding it: bootstrap again on fresh ones.
            }
        }
    }

    private static async Task<MembershipCluster> BootstrapAsync(Server server, int size, IReadOnlyList<string> extraArguments)
    {
        var cluster = new MembershipCluster(server, extraArguments);
        try
        {
            var members = Enumerable.Range(0, size).Select(_ => cluster.NewMember()).ToArray();
            var initialCluster = string.Join(',', members.Select(m => $"{m.Name}={m.PeerUrl}"));
            Volatile.Write(ref cluster._members, members);
            foreach (var member in members)
            {
                member.Start(server, initialCluster, "new", cluster.Token, extraArguments);
            }

            // In parallel: the members come up together, and each wait is only a poll. A whole start is slow on a loaded
            // machine, and a shared cluster that fails to start fails every test of its class.
            await Task.WhenAll(members.Select(m => cluster.WaitUntilHealthyAsync(m, ThreeNodeCluster.StartDeadline)));
            await cluster.WaitForLeaderAsync();
            await cluster.LearnIdsAsync(members);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>
    /// Adds a member the way an operator does: POST its peer URL (through the leader), then start the process with
    /// <c>--initial-cluster</c> = every current member plus the new one and <c>--initial-cluster-state existing</c>,
    /// and wait until it is healthy. Returns the started member with the id the cluster gave it.
    /// </summary>
    /// <param name="argumentsGivenLeader">More flags for the new member alone, chosen knowing the leader it was added through.</param>
    public async Task<MembershipMember> AddMemberAsync(Func<MembershipMember, IReadOnlyList<string>>? argumentsGivenLeader = null)
    {
        var member = NewMember();
        var via = await WaitForLeaderAsync();
        member.Id = await ProposeMemberAsync(member.PeerUrl, via);
        lock (_gate)
        {
            _members = [.. _members, member];
        }

        var listing = await ListMembersAsync(via);
        var names = Members.Where(m => m.Id.Length > 0).ToDictionary(m => m.Id, m => m.Name);
        var initialCluster = string.Join(',', listing.Members
            .Where(m => m.Id != member.Id)
            .SelectMany(m => m.PeerUrls.Select(url => $"{(m.Name.Length > 0 ? m.Name : names.GetValueOrDefault(m.Id, m.Id))}={url}"))
            .Append($"{member.Name}={member.PeerUrl}"));
        member.Start(Server, initialCluster, "existing", Token, [.. _extraArguments, .. argumentsGivenLeader?.Invoke(via) ?? []]);
        await WaitUntilHealthyAsync(member);
        return member;
    }

    /// <summary>
    /// <c>POST /v2/members</c> on <paramref name="via"/>; returns the new member's id from the 201 answer. A 500 is
    /// retried until the deadline: etcd's strict reconfiguration check refuses an add until the receiving member has
    /// been connected to every voting member for 5 s (and while an added member has not started yet).
    /// </summary>
    public async Task<string> ProposeMemberAsync(string peerUrl, MembershipMember via)
    {
        var started = DateTime.UtcNow;
        var deadline = started + Deadline;
        var ambiguous = false;
        var refused = 0;
        HttpAnswer? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await SendMembersAsync(HttpMethod.Post, via, string.Empty, JsonBody(peerUrl));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The add may or may not have been committed: a later 409 tells which.
                ambiguous = true;
                await Task.Delay(100);
                continue;
            }

            switch (last.Status)
            {
                case HttpStatusCode.Created:
                    Note($"POST {peerUrl} on {via.Name}", refused, started);
                    using (var body = JsonDocument.Parse(last.Body))
                    {
                        return body.RootElement.GetProperty("id").GetString()!;
                    }

                case HttpStatusCode.Conflict when ambiguous:
                    var listing = await ListMembersAsync(via);
                    return listing.Members.Single(m => m.PeerUrls.Contains(peerUrl)).Id;
                case HttpStatusCode.InternalServerError:
                    refused++;
                    await Task.Delay(100);
                    continue;
                default:
                    throw new InvalidOperationException($"POST /v2/members {peerUrl} on {via.Name}: {last}\n{Output}");
            }
        }

        throw new TimeoutException($"POST /v2/members {peerUrl} on {via.Name} still refused after {Deadline}: {last}\n{Output}");
    }

    /// <summary>
    /// <c>DELETE /v2/members/&lt;id&gt;</c> on <paramref name="via"/>, retrying 500 (etcd's strict reconfiguration check
    /// refuses a removal until the receiving member has been connected to enough peers for 5 s). Returns the final
    /// answer; on 204 the member counts as removed from then on. A member asked to remove itself may stop before its
    /// answer arrives: when a request to it fails and the other members no longer list it, the result is
    /// <see cref="HttpAnswer.Unanswered"/> and it counts as removed.
    /// </summary>
    public async Task<HttpAnswer> RemoveMemberAsync(MembershipMember member, MembershipMember via)
    {
        var started = DateTime.UtcNow;
        var deadline = started + Deadline;
        var ambiguous = false;
        var refused = 0;
        HttpAnswer? last = null;
        while (true)
        {
            try
            {
                last = await SendMembersAsync(HttpMethod.Delete, via, "/" + member.Id, null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                ambiguous = true;
                if (via == member && await NoLongerListedAsync(member))
                {
                    _events.Enqueue($"DELETE {member.Name} ({member.Id}) on itself: no answer ({e.Message}); the other members no longer list it");
                    MarkRemoved(member);
                    return HttpAnswer.Unanswered;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw;
                }

                await Task.Delay(100);
                continue;
            }

            if (last.Status == HttpStatusCode.InternalServerError && DateTime.UtcNow < deadline)
            {
                refused++;
                await Task.Delay(100);
                continue;
            }

            Note($"DELETE {member.Name} ({member.Id}) on {via.Name} → {(int)last.Status}", refused, started);

            // 410 after an attempt whose outcome was unknown: that attempt removed it.
            if (last.Status == HttpStatusCode.NoContent || (ambiguous && last.Status == HttpStatusCode.Gone))
            {
                MarkRemoved(member);
            }

            return last;
        }
    }

    private void MarkRemoved(MembershipMember member)
    {
        lock (_gate)
        {
            _members = [.. _members.Where(m => m != member)];
            _removed = [.. _removed, member];
        }
    }

    /// <summary>Whether a running member other than <paramref name="member"/> answers a member list without it (false when none answers).</summary>
    private async Task<bool> NoLongerListedAsync(MembershipMember member)
    {
        foreach (var other in Running.Where(m => m != member))
        {
            try
            {
                var listing = await ListMembersAsync(other);
                return listing.Members.All(m => m.Id != member.Id);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Ask the next one.
            }
        }

        return false;
    }

    /// <summary>One request to <c>/v2/members{suffix}</c> on <paramref name="via"/>, no retries.</summary>
    public async Task<HttpAnswer> SendMembersAsync(HttpMethod method, MembershipMember via, string suffix, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, via.Url("/v2/members" + suffix)) { Content = content };
        using var response = await Http.SendAsync(request);
        return await HttpAnswer.ReadAsync(response);
    }

    /// <summary><c>{"peerURLs":[…]}</c> as application/json.</summary>
    public static HttpContent JsonBody(params string[] peerUrls) =>
        new StringContent(JsonSerializer.Serialize(new { peerURLs = peerUrls }), Encoding.UTF8, "application/json");

    public async Task<MemberCollection> ListMembersAsync(MembershipMember member)
    {
        var json = await Http.GetStringAsync(member.Url("/v2/members"));
        return JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.MemberCollection)!;
    }

    /// <summary>
    /// Until every running member's <c>GET /v2/members</c> lists exactly <see cref="Members"/>, each with its id, name,
    /// peer URL and client URL (a joined member's name and client URLs appear once it published them).
    /// </summary>
    public async Task WaitUntilEveryMemberListsAllAsync()
    {
        var expected = Members
            .Select(m => $"{m.Id} {m.Name} [{m.PeerUrl}] [{m.ClientUrl}]")
            .Order(StringComparer.Ordinal)
            .ToArray();
        foreach (var member in Running.ToArray())
        {
            string[] listed = [];
            try
            {
                await PollAsync($"{member.Name} listing [{string.Join(", ", expected)}]", async () =>
                {
                    var listing = await ListMembersAsync(member);
                    listed = [.. listing.Members
                        .Select(m => $"{m.Id} {m.Name} [{string.Join(' ', m.PeerUrls)}] [{string.Join(' ', m.ClientUrls)}]")
                        .Order(StringComparer.Ordinal)];
                    return listed.SequenceEqual(expected);
                });
            }
            catch (TimeoutException timeout)
            {
                throw new TimeoutException($"{member.Name} last listed [{string.Join(", ", listed)}]; {timeout.Message}", timeout);
            }
        }
    }

    /// <summary>/health answers 200 once the member knows a leader (etcd: and the cluster answers a quorum read).</summary>
    public Task WaitUntilHealthyAsync(MembershipMember member, TimeSpan? timeout = null) => PollAsync($"{member.Name} healthy", async () =>
    {
        if (!member.IsRunning)
        {
            throw new InvalidOperationException($"{member.Name} exited before it was healthy:\n{Output}");
        }

        using var response = await Http.GetAsync(member.Url("/health"));
        return response.IsSuccessStatusCode;
    }, timeout);

    /// <summary>True when <paramref name="member"/> answers <c>/health</c> with 200 right now.</summary>
    public async Task<bool> IsHealthyAsync(MembershipMember member)
    {
        try
        {
            using var response = await Http.GetAsync(member.Url("/health"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The member every running member reports as leader (<c>/v2/stats/self</c>), once they agree and it calls itself leader.</summary>
    public async Task<MembershipMember> WaitForLeaderAsync()
    {
        MembershipMember? leader = null;
        await PollAsync("an agreed leader", async () =>
        {
            var running = Running.ToArray();
            var index = await AgreedLeader.FindAsync(Http, [.. running.Select(m => new Uri(m.ClientUrl))]);
            leader = index is { } i ? running[i] : null;
            return leader is not null;
        });
        return leader!;
    }

    /// <summary>One PUT of <paramref name="key"/> (absolute, e.g. "/load/1") on <paramref name="member"/>, no retries.</summary>
    public async Task<HttpAnswer> PutAsync(MembershipMember member, string key, string value, HttpClient? http = null)
    {
        using var response = await (http ?? Http).PutAsync(
            member.Url("/v2/keys" + key),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("value", value)]));
        return await HttpAnswer.ReadAsync(response);
    }

    /// <summary>A write through <paramref name="member"/>, retried while the cluster settles; returns the node's modifiedIndex.</summary>
    public async Task<long> PutEventuallyAsync(MembershipMember member, string key, string value)
    {
        long index = 0;
        await PollAsync($"PUT {key} on {member.Name}", async () =>
        {
            var answer = await PutAsync(member, key, value);
            if (answer.Status is not (HttpStatusCode.OK or HttpStatusCode.Created))
            {
                return false;
            }

            index = ModifiedIndex(answer);
            return true;
        });
        return index;
    }

    /// <summary>
    /// <paramref name="count"/> keys <c>{directory}/{prefix}-{i}</c> written through <paramref name="member"/> over
    /// <paramref name="connections"/> concurrent writers, each write retried until acknowledged; returns the acknowledgements.
    /// </summary>
    public async Task<IReadOnlyList<AcknowledgedWrite>> PutManyAsync(MembershipMember member, string directory, string prefix, int count, int connections = 4)
    {
        var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<AcknowledgedWrite>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var key = $"{directory}/{prefix}-{i.ToString("D5", CultureInfo.InvariantCulture)}";
                var value = $"{prefix}-value-{i}";
                acknowledged.Enqueue(new AcknowledgedWrite(key, value, await PutEventuallyAsync(member, key, value), member.Name));
            }
        })));
        return [.. acknowledged];
    }

    public static long ModifiedIndex(HttpAnswer answer)
    {
        using var body = JsonDocument.Parse(answer.Body);
        return body.RootElement.GetProperty("node").GetProperty("modifiedIndex").GetInt64();
    }

    /// <summary>Until <paramref name="member"/>'s store has applied <paramref name="index"/> (its <c>X-Etcd-Index</c> on a local GET).</summary>
    public async Task WaitForIndexAsync(MembershipMember member, long index)
    {
        long seen = -1;
        await PollAsync($"{member.Name} reaching index {index} (seen {seen})", async () =>
        {
            using var response = await Http.GetAsync(member.Url("/v2/keys/"));
            seen = response.Headers.TryGetValues("X-Etcd-Index", out var values)
                ? long.Parse(values.First(), CultureInfo.InvariantCulture)
                : -1;
            return seen >= index;
        });
    }

    /// <summary>key → value of every key directly under <paramref name="directory"/>, as <paramref name="member"/> answers locally.</summary>
    public async Task<Dictionary<string, string>> ReadDirectoryAsync(MembershipMember member, string directory)
    {
        using var response = await Http.GetAsync(member.Url($"/v2/keys{directory}?recursive=true"));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return result;
        }

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (body.RootElement.GetProperty("node").TryGetProperty("nodes", out var nodes))
        {
            foreach (var node in nodes.EnumerateArray())
            {
                if (node.TryGetProperty("value", out var value))
                {
                    result[node.GetProperty("key").GetString()!] = value.GetString()!;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The acknowledged writes <paramref name="member"/> does not hold (as "key: expected, found"), read locally once
    /// its store reached the last acknowledged index.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingWritesAsync(MembershipMember member, IReadOnlyCollection<AcknowledgedWrite> writes, string directory)
    {
        if (writes.Count == 0)
        {
            return [];
        }

        await WaitForIndexAsync(member, writes.Max(w => w.Index));
        var held = await ReadDirectoryAsync(member, directory);
        return [.. writes
            .Where(w => !held.TryGetValue(w.Key, out var value) || value != w.Value)
            .Select(w => $"{member.Name} {w.Key}: expected {w.Value} (index {w.Index}), found {held.GetValueOrDefault(w.Key) ?? "nothing"}")];
    }

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
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
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
        MembershipMember[] started;
        lock (_gate)
        {
            started = [.. _started];
        }

        foreach (var member in started)
        {
            await member.DisposeAsync();
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

    private void Note(string what, int refused, DateTime started)
    {
        if (refused > 0)
        {
            _events.Enqueue($"{what}: refused with 500 {refused} times over {(DateTime.UtcNow - started).TotalSeconds:F1}s first");
        }
    }

    private MembershipMember NewMember()
    {
        lock (_gate)
        {
            var name = $"m{++_names}";
            var member = new MembershipMember(name, Path.Combine(_root, name));
            _started.Add(member);
            return member;
        }
    }

    /// <summary>Bootstrapped members learn their ids from the listing (etcd derives them from the peer URLs and token).</summary>
    private Task LearnIdsAsync(IReadOnlyList<MembershipMember> members) => PollAsync("every bootstrapped member's id", async () =>
    {
        var listing = await ListMembersAsync(members[0]);
        foreach (var member in members)
        {
            var listed = listing.Members.FirstOrDefault(m => m.PeerUrls.Contains(member.PeerUrl));
            if (listed is null)
            {
                return false;
            }

            member.Id = listed.Id;
        }

        return true;
    });
}
