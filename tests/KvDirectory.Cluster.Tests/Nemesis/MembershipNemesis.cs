using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// Membership changes the <see cref="Nemesis"/> starts while one of its faults is active, as an operator would make
/// them: add a spare (<c>POST /v2/members</c>, then start it with <c>--initial-cluster-state existing</c>) and remove a
/// member (<c>DELETE /v2/members/&lt;id&gt;</c>, the leader when the seed says so). Adds and removes alternate, so the
/// cluster holds three or four members and one fault at a time never costs the majority. Each request goes to a
/// random current member and is retried until its outcome is known (201/204, or 409/410 after an attempt that may
/// have landed) or its deadline passes; an unknown outcome is settled from the member list once the cluster healed.
/// An added member counts as down until it is healthy, so the <see cref="Nemesis"/> holds its next fault until then.
/// </summary>
public sealed class MembershipNemesis(ThreeNodeCluster cluster, Random random, Action<string> record) : IDisposable
{
    /// <summary>How long one change is retried before its outcome is left to <see cref="SettleAsync"/>.</summary>
    public static readonly TimeSpan ChangeDeadline = TimeSpan.FromSeconds(8);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<ThreeNodeMember, string> _ids = [];
    private readonly List<(MembershipOperation Kind, ThreeNodeMember Member)> _unsettled = [];
    private MembershipTally _tally = MembershipTally.None;
    private int _sparesUsed;
    private bool _addNext = true;

    public MembershipTally Tally => _tally;

    /// <summary>A member added and started that does not serve yet: clients do not know of it until it does.</summary>
    public ThreeNodeMember? Joining { get; private set; }

    public void Dispose() => _http.Dispose();

    /// <summary>The next change (add and remove alternate), or none when no spare is left for an add.</summary>
    public bool HasWork => !_addNext || _sparesUsed < cluster.Spares.Count;

    /// <summary>Learns the bootstrapped members' ids (a removal names one).</summary>
    public async Task StartAsync() => await cluster.PollAsync("every bootstrapped member's id", async () =>
    {
        var listing = await ListAsync(cluster.Members[0]);
        foreach (var member in cluster.Members)
        {
            if (listing.Members.FirstOrDefault(m => m.PeerUrls.Contains(member.PeerUrl)) is not { } listed)
            {
                return false;
            }

            _ids[member] = listed.Id;
        }

        return true;
    });

    /// <summary>Makes the next change; <paramref name="leader"/> finds the member a leader removal targets.</summary>
    public async Task ChangeAsync(Func<Random, Task<ThreeNodeMember>> leader)
    {
        // A remove needs the add before it to have landed: three members must stay, so one fault never costs the majority.
        var add = _addNext || cluster.Members.Count <= 3;
        if (add && _sparesUsed == cluster.Spares.Count)
        {
            return;
        }

        _addNext = !add;
        if (add)
        {
            await AddAsync(cluster.Spares[_sparesUsed++]);
        }
        else
        {
            var members = cluster.Members;
            var victim = random.Next(2) == 0 ? await leader(random) : members[random.Next(members.Count)];
            await RemoveAsync(victim);
        }
    }

    /// <summary>
    /// After the cluster healed: every change whose outcome was unknown is read off the leader's member list (the leader
    /// the members agree on that were surely not removed) (a spare
    /// the cluster accepted is started, a member it removed is forgotten); every removed process is killed.
    /// </summary>
    public async Task SettleAsync()
    {
        // A member whose removal may have taken effect cannot agree on a leader with the others: leave it out.
        var maybeRemoved = _unsettled.Where(u => u.Kind == MembershipOperation.Remove).Select(u => u.Member).ToHashSet();
        var leader = await cluster.WaitForLeaderAsync(cluster.Members.Where(m => !maybeRemoved.Contains(m)));
        var listing = await ListAsync(leader);
        foreach (var (kind, member) in _unsettled)
        {
            var listed = listing.Members.FirstOrDefault(m => m.PeerUrls.Contains(member.PeerUrl));
            if (kind == MembershipOperation.Add && listed is not null)
            {
                _ids[member] = listed.Id;
                cluster.Join(member, InitialClusterWith(listing, member));
                record($"settled: add {member.Name} took effect ({listed.Id}), started it");
            }
            else if (kind == MembershipOperation.Remove && listed is null)
            {
                cluster.Forget(member);
                record($"settled: remove {member.Name} took effect");
            }
            else
            {
                record($"settled: {kind} {member.Name} did not take effect");
            }
        }

        _unsettled.Clear();
        foreach (var gone in cluster.Everyone.Where(m => !cluster.Members.Contains(m) && m.IsRunning))
        {
            await gone.KillAsync();
            record($"killed removed member {gone.Name}, still running");
        }
    }

    private async Task AddAsync(ThreeNodeMember spare)
    {
        _tally = _tally.Request(MembershipOperation.Add);
        var (outcome, id, via) = await RetryAsync($"add {spare.Name}", HttpMethod.Post, "/v2/members", () => JsonBody(spare.PeerUrl), HttpStatusCode.Created, HttpStatusCode.Conflict);
        if (outcome is not Outcome.Done)
        {
            Unsettled(MembershipOperation.Add, spare, outcome);
            return;
        }

        // The listing the new member starts from: the accepting member's, which holds the add (it answered after applying it).
        MemberCollection listing;
        try
        {
            listing = await ListAsync(via!);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
        {
            Unsettled(MembershipOperation.Add, spare, Outcome.Unknown);
            return;
        }

        _ids[spare] = id ?? listing.Members.Single(m => m.PeerUrls.Contains(spare.PeerUrl)).Id;
        _tally = _tally.Succeed(MembershipOperation.Add);
        Joining = spare;
        cluster.Join(spare, InitialClusterWith(listing, spare, first: via));
        record($"add {spare.Name} ({_ids[spare]}) accepted by {via!.Name}; started it with --initial-cluster-state existing");

        // Until it serves, the new member counts as one more member down: the next fault waits for it (a process
        // start takes seconds on a loaded machine), so a fault and a join never cost the majority together.
        await cluster.WaitUntilHealthyAsync(spare, ThreeNodeCluster.StartDeadline);
        Joining = null;
        record($"{spare.Name} joined and is healthy");
    }

    private async Task RemoveAsync(ThreeNodeMember victim)
    {
        _tally = _tally.Request(MembershipOperation.Remove);
        var (outcome, _, via) = await RetryAsync($"remove {victim.Name}", HttpMethod.Delete, $"/v2/members/{_ids[victim]}", () => null, HttpStatusCode.NoContent, HttpStatusCode.Gone);
        if (outcome is not Outcome.Done)
        {
            Unsettled(MembershipOperation.Remove, victim, outcome);
            return;
        }

        _tally = _tally.Succeed(MembershipOperation.Remove);
        cluster.Forget(victim);
        record($"remove {victim.Name} ({_ids[victim]}) accepted by {via!.Name}");
    }

    private void Unsettled(MembershipOperation kind, ThreeNodeMember member, Outcome outcome)
    {
        if (outcome == Outcome.Unknown)
        {
            _tally = _tally.LeaveUnknown(kind);
        }

        _unsettled.Add((kind, member));
        record($"{kind} {member.Name}: {(outcome == Outcome.Unknown ? "outcome unknown" : "refused")} after {ChangeDeadline.TotalSeconds:F0} s, settled after healing");
    }

    /// <summary>
    /// One change, retried on running members in a seeded order until <paramref name="done"/>, or
    /// <paramref name="doneIfAmbiguous"/> after an attempt whose outcome is unknown (a timeout, a reset, a 500 —
    /// which etcd answers for a change that timed out and may still commit), or the deadline.
    /// </summary>
    private async Task<(Outcome Outcome, string? Id, ThreeNodeMember? Via)> RetryAsync(
        string what, HttpMethod method, string path, Func<HttpContent?> body, HttpStatusCode done, HttpStatusCode doneIfAmbiguous)
    {
        var deadline = Stopwatch.StartNew();
        var ambiguous = false;
        var attempts = new StringBuilder();
        while (deadline.Elapsed < ChangeDeadline)
        {
            var candidates = cluster.Members.Where(m => m.IsRunning && !m.IsPaused).ToArray();
            if (candidates.Length == 0)
            {
                await Task.Delay(100);
                continue;
            }

            var via = candidates[random.Next(candidates.Length)];
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(via.ClientUrl, path)) { Content = body() };
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                attempts.Append($" {via.Name}:{(int)response.StatusCode}");
                if (response.StatusCode == done || (ambiguous && response.StatusCode == doneIfAmbiguous))
                {
                    record($"{what}:{attempts}");
                    return (Outcome.Done, response.StatusCode == HttpStatusCode.Created ? JsonDocument.Parse(text).RootElement.GetProperty("id").GetString() : null, via);
                }

                ambiguous |= response.StatusCode == HttpStatusCode.InternalServerError;
                if (response.StatusCode is not (HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable))
                {
                    throw new InvalidOperationException($"{what} on {via.Name}: unexpected {(int)response.StatusCode} {text}");
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or SocketException)
            {
                // A refused connection never reached the member; anything else may have. (HttpClient lets a
                // SocketException through when a connection is reset the moment it is made.)
                var refused = error is HttpRequestException http && KeyOperationClient.IsRefused(http);
                ambiguous |= !refused;
                attempts.Append($" {via.Name}:{(refused ? "refused" : "unknown")}");
            }

            await Task.Delay(200);
        }

        record($"{what}:{attempts}");
        return (ambiguous ? Outcome.Unknown : Outcome.Refused, null, null);
    }

    /// <summary>
    /// <c>--initial-cluster</c> for <paramref name="joining"/>: the listed members, <paramref name="first"/> (which
    /// accepted the add, so it surely lists the new member) ahead of the others a joining member asks in turn.
    /// </summary>
    private string InitialClusterWith(MemberCollection listing, ThreeNodeMember joining, ThreeNodeMember? first = null)
    {
        var names = cluster.Everyone.ToDictionary(m => m.PeerUrl, m => m.Name);
        return string.Join(',', listing.Members
            .OrderBy(m => first is not null && m.PeerUrls.Contains(first.PeerUrl) ? 0 : 1)
            .SelectMany(m => m.PeerUrls.Select(url => $"{names.GetValueOrDefault(url, m.Name)}={url}"))
            .Where(entry => !entry.StartsWith($"{joining.Name}=", StringComparison.Ordinal))
            .Append($"{joining.Name}={joining.PeerUrl}"));
    }

    private async Task<MemberCollection> ListAsync(ThreeNodeMember member) =>
        JsonSerializer.Deserialize(await _http.GetStringAsync(new Uri(member.ClientUrl, "/v2/members")), ProtocolJsonContext.Default.MemberCollection)
        ?? throw new JsonException($"{member.Name} answered an empty member list");

    private static StringContent JsonBody(string peerUrl) =>
        new($"{{\"peerURLs\":[\"{peerUrl}\"]}}", Encoding.UTF8, "application/json");

    private enum Outcome
    {
        Done,
        Refused,
        Unknown,
    }
}
