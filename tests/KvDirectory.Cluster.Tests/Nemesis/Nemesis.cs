using System.Diagnostics;
using System.Text.Json;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// Injects faults into a <see cref="ThreeNodeCluster"/> started with <c>dialThroughProxies</c>, every choice drawn
/// from one seeded <see cref="Random"/>: SIGKILL + restart, SIGSTOP/SIGCONT, a member partitioned from the majority,
/// the leader isolated, one-way cuts. One fault at a time, undone before the next, so at most one member is ever
/// down or paused and a majority can always form again. The first faults cover every <see cref="NemesisFaultKind"/>
/// in a seeded order (their holds shortened if the run would otherwise end before all have landed); then any fault.
/// The pauses between faults are the workload's clock (how long a fault lasts), not synchronisation.
/// With a <see cref="MembershipNemesis"/>, each fault that finds no membership change in flight starts the next one
/// (add, remove, add …) while it is active.
/// </summary>
public sealed class Nemesis : IDisposable
{
    private static readonly NemesisFault[] Faults = Enum.GetValues<NemesisFault>();
    private static readonly TimeSpan MinimumHold = TimeSpan.FromMilliseconds(300);

    private readonly ThreeNodeCluster _cluster;
    private readonly Random _random;
    private readonly Stopwatch _clock;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly List<NemesisEvent> _events = [];
    private readonly Dictionary<NemesisFaultKind, int> _faultsByKind = [];

    /// <param name="clock">Started when the cluster was up; the timeline's times are read from it.</param>
    /// <param name="membership">Given, membership changes happen during the faults (a seeded <see cref="Random"/> of their own).</param>
    public Nemesis(ThreeNodeCluster cluster, Random random, Stopwatch clock, Random? membership = null)
    {
        _cluster = cluster;
        _random = random;
        _clock = clock;
        Membership = membership is null ? null : new MembershipNemesis(cluster, membership, Record);
    }

    public MembershipNemesis? Membership { get; }

    /// <summary>What was done when, for the failure message.</summary>
    public IReadOnlyList<NemesisEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public int FaultsInjected { get; private set; }

    /// <summary>How many faults of each kind were injected.</summary>
    public IReadOnlyDictionary<NemesisFaultKind, int> FaultsByKind => new Dictionary<NemesisFaultKind, int>(_faultsByKind);

    /// <summary>
    /// Faults, each held for a while then undone, then a quiet spell, until <paramref name="duration"/> is up; the
    /// last fault is cut short at the end rather than overrunning it.
    /// </summary>
    public async Task RunAsync(TimeSpan duration)
    {
        var end = _clock.Elapsed + duration;
        // One fault of every kind first (member or leader variant drawn), in a seeded order.
        var firsts = new Queue<NemesisFault>(Enum.GetValues<NemesisFaultKind>()
            .Select(kind => Faults.Where(f => f.KindOf() == kind).ToArray())
            .Select(variants => variants[_random.Next(variants.Length)])
            .OrderBy(_ => _random.Next()));
        if (Membership is not null)
        {
            await Membership.StartAsync();
        }

        // Every kind lands even when membership changes took the time they were given.
        while (firsts.Count > 0 || end - _clock.Elapsed > MinimumHold)
        {
            var fault = firsts.Count > 0 ? firsts.Dequeue() : Faults[_random.Next(Faults.Length)];
            // Up to longer than the clients' 3 s timeout, so a pause also shows as requests that never answer.
            var hold = TimeSpan.FromMilliseconds(_random.Next(300, 3_500));
            var quiet = TimeSpan.FromMilliseconds(_random.Next(100, 1_200));
            if (firsts.Count > 0)
            {
                // Leave room for the kinds still to come: this fault and its quiet spell take at most their share.
                var share = (end - _clock.Elapsed) / (firsts.Count + 1);
                hold = Max(MinimumHold, Min(hold, share * 0.6));
                quiet = Min(quiet, share * 0.2);
            }

            var undo = await InjectAsync(fault);
            FaultsInjected++;
            _faultsByKind[fault.KindOf()] = _faultsByKind.GetValueOrDefault(fault.KindOf()) + 1;
            var changing = Membership is { HasWork: true } ? Membership.ChangeAsync(LeaderOrRandomAsync) : Task.CompletedTask;

            await Task.Delay(Max(MinimumHold, Min(hold, end - _clock.Elapsed)));
            await undo();
            // One change during one fault: the next fault waits until the change is done (an added member serving).
            await changing;
            await Task.Delay(Min(quiet, end - _clock.Elapsed));
        }
    }

    /// <summary>Back to a whole cluster: every link healed, every paused member continued, every killed member started.</summary>
    public void HealAll()
    {
        _cluster.Mesh.HealAll();
        foreach (var member in _cluster.Everyone)
        {
            member.Resume();
        }

        foreach (var member in _cluster.Members.Where(m => !m.IsRunning))
        {
            _cluster.Launch(member);
        }

        Record("heal all: links healed, members continued and started");
    }

    public void Dispose()
    {
        _probe.Dispose();
        Membership?.Dispose();
    }

    /// <summary>Applies <paramref name="fault"/> and answers how to undo it.</summary>
    private async Task<Func<Task>> InjectAsync(NemesisFault fault)
    {
        var mode = _random.Next(2) == 0 ? FaultMode.Reset : FaultMode.Blackhole;
        switch (fault)
        {
            case NemesisFault.KillMember:
            case NemesisFault.KillLeader:
            {
                var victim = fault == NemesisFault.KillLeader ? await LeaderOrRandomAsync(_random) : RandomMember();
                await victim.KillAsync();
                Record($"{fault}: SIGKILL {victim.Name}");
                return () =>
                {
                    // A member removed meanwhile stays down: it would only learn it was removed and exit.
                    if (_cluster.Members.Contains(victim))
                    {
                        _cluster.Launch(victim);
                        Record($"restart {victim.Name}");
                    }

                    return Task.CompletedTask;
                };
            }

            case NemesisFault.PauseMember:
            case NemesisFault.PauseLeader:
            {
                var victim = fault == NemesisFault.PauseLeader ? await LeaderOrRandomAsync(_random) : RandomMember();
                victim.Pause();
                Record($"{fault}: SIGSTOP {victim.Name}");
                return () =>
                {
                    victim.Resume();
                    Record($"SIGCONT {victim.Name}");
                    return Task.CompletedTask;
                };
            }

            case NemesisFault.PartitionMinority:
            case NemesisFault.IsolateLeader:
            {
                var alone = fault == NemesisFault.IsolateLeader ? await LeaderOrRandomAsync(_random) : RandomMember();
                _cluster.Mesh.Isolate(alone.Name, mode);
                Record($"{fault}: {alone.Name} | {string.Join(',', Others(alone).Select(m => m.Name))} ({mode})");
                return HealLinks;
            }

            case NemesisFault.CutOneWay:
            case NemesisFault.CutLeaderOneWay:
            {
                var from = fault == NemesisFault.CutLeaderOneWay ? await LeaderOrRandomAsync(_random) : RandomMember();
                var others = Others(from).ToArray();
                var to = others[_random.Next(others.Length)];
                if (fault == NemesisFault.CutLeaderOneWay && _random.Next(2) == 0)
                {
                    (from, to) = (to, from);
                }

                _cluster.Mesh.CutOneWay(from.Name, to.Name, mode);
                Record($"{fault}: {from.Name} -/-> {to.Name} ({mode})");
                return HealLinks;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault");
        }
    }

    private Task HealLinks()
    {
        _cluster.Mesh.HealAll();
        Record("heal links");
        return Task.CompletedTask;
    }

    /// <summary>The shorter of the two, never negative.</summary>
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b < TimeSpan.Zero ? TimeSpan.Zero : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private ThreeNodeMember RandomMember() => RandomMember(_random);

    private ThreeNodeMember RandomMember(Random random)
    {
        var members = _cluster.Members;
        return members[random.Next(members.Count)];
    }

    private IEnumerable<ThreeNodeMember> Others(ThreeNodeMember member) => _cluster.Members.Where(m => m != member);

    /// <summary>
    /// The member that calls itself leader in <c>/v2/stats/self</c>; a random one while an election is on.
    /// Members are asked in a seeded order and the random draw happens either way, so the choices that follow do
    /// not depend on how the election went. The membership changes draw from their own <paramref name="random"/>.
    /// </summary>
    private async Task<ThreeNodeMember> LeaderOrRandomAsync(Random random)
    {
        var fallback = RandomMember(random);
        foreach (var member in _cluster.Members.Where(m => m.IsRunning && !m.IsPaused))
        {
            try
            {
                using var self = JsonDocument.Parse(await _probe.GetStringAsync(new Uri(member.ClientUrl, "/v2/stats/self")));
                if (self.RootElement.GetProperty("state").GetString() == "StateLeader")
                {
                    return member;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Starting up or busy: it is not the leader we can find.
            }
        }

        Record($"no leader found, picking {fallback.Name}");
        return fallback;
    }

    private void Record(string what)
    {
        lock (_events)
        {
            _events.Add(new NemesisEvent(_clock.Elapsed, what));
        }
    }
}
