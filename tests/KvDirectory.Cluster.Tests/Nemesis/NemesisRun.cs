using System.Diagnostics;
using System.Globalization;
using System.Text;
using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// One seeded run: three members dialling each other through a <see cref="KvDirectory.Testing.Faults.ProxyMesh"/>,
/// a <see cref="NemesisWorkload"/> recording its history while the <see cref="Nemesis"/> kills, pauses and
/// partitions; then heal, restart, wait for a leader, wait for identical digests, read every key on every member
/// with quorum, agree on local values, and check the whole history for linearizability.
/// Everything the seed decides (faults, targets, durations, clients, operations, flags) comes from it; only the
/// interleaving is left to the machine.
/// </summary>
public sealed class NemesisRun(int seed, TimeSpan faultPhase, Action<string> log, NemesisFloors? floors = null)
{
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(3);

    /// <summary>What the fault phase did, once it is over (null if the run failed before).</summary>
    public NemesisTally? Tally { get; private set; }

    /// <summary>Runs everything; throws with the seed, the fault timeline and (for an anomaly) the minimal history on any failure.</summary>
    public async Task ExecuteAsync(string repro)
    {
        var random = new Random(seed);
        var clients = random.Next(4, 7);
        var keys = Enumerable.Range(0, random.Next(2, 5)).Select(i => $"/nemesis-{i}").ToArray();
        string[] flags =
        [
            "--heartbeat-interval", "50",
            "--election-timeout", "500",
            "--request-timeout-ms", "2000",
            // Half the seeds snapshot often and keep a short log, so restarted members catch up from a snapshot.
            .. random.Next(2) == 0 ? new[] { "--snapshot-count", "200", "--snapshot-catchup-entries", "20" } : [],
        ];
        log($"seed {seed}: {clients} clients, keys {string.Join(' ', keys)}, flags {string.Join(' ', flags)}; {repro}");

        // Even seeds add and remove members during the faults (two spares: add, remove, add, remove at most).
        var changeMembership = seed % 2 == 0;
        var startup = Stopwatch.StartNew();
        await using var cluster = await StartClusterAsync(flags, spares: changeMembership ? 2 : 0);
        await cluster.WaitForLeaderAsync();
        log($"cluster up with a leader in {startup.Elapsed.TotalSeconds:F1} s");
        var clock = Stopwatch.StartNew();
        var recorder = new HistoryRecorder();
        using var client = new KeyOperationClient(ClientTimeout, clients);
        var nemesisRandom = new Random(random.Next());
        var workloadSeed = random.Next();
        using var nemesis = new Nemesis(cluster, nemesisRandom, clock, changeMembership ? new Random(random.Next()) : null);
        var workload = new NemesisWorkload(
            () => [.. cluster.Members.Where(m => m != nemesis.Membership?.Joining).Select(m => m.ClientUrl)], recorder, client, workloadSeed, keys);
        NemesisTally Count() => new()
        {
            Operations = workload.Completed,
            AcknowledgedWrites = workload.AcknowledgedWrites,
            SuccessfulSwaps = workload.SuccessfulSwaps,
            Unknown = workload.Unknown,
            ServerErrors = workload.ServerErrors,
            Faults = nemesis.FaultsByKind,
            Membership = nemesis.Membership?.Tally ?? MembershipTally.None,
        };

        string Context() => new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"seed {seed}; {repro}")
            .AppendLine(CultureInfo.InvariantCulture, $"{Count()}")
            .AppendLine("nemesis timeline:")
            .AppendJoin(Environment.NewLine, nemesis.Events)
            .ToString();

        try
        {
            using var stop = new CancellationTokenSource();
            var started = clock.Elapsed;
            var working = workload.RunAsync(clients, stop.Token);
            try
            {
                await nemesis.RunAsync(faultPhase);
            }
            finally
            {
                await stop.CancelAsync();
                await working;
            }

            var tally = Count();
            Tally = tally;
            log($"fault phase: {(clock.Elapsed - started).TotalSeconds:F1} s, {tally}");
            log($"unknown outcomes: {workload.UnknownCauses}");
            log(string.Join(Environment.NewLine, nemesis.Events));
            var healing = Stopwatch.StartNew();

            nemesis.HealAll();
            if (nemesis.Membership is { } membership)
            {
                await membership.SettleAsync();
                log($"members after the changes: {string.Join(' ', cluster.Members.Select(m => m.Name))}");
            }

            await cluster.WaitForLeaderAsync();

            await Task.WhenAll(cluster.Members.Select(m => cluster.WaitUntilHealthyAsync(m, ThreeNodeCluster.StartDeadline)));

            var check = new ConvergenceCheck(cluster, recorder, client);
            var digest = await check.WaitForIdenticalStoresAsync();
            await check.ReadEveryKeyEverywhereAsync(keys);
            var agreed = await check.AgreedLocalValuesAsync(keys);
            log($"healed and converged in {healing.Elapsed.TotalSeconds:F1} s at store index {digest.Index}; final values {string.Join(", ", agreed.Select(p => $"{p.Key}={p.Value ?? "<absent>"}"))}");

            var history = UnansweredReads.Drop(recorder.ToHistory());
            var result = LinearizabilityChecker.Check(history, new CheckOptions { Timeout = TimeSpan.FromSeconds(60) });
            log($"checked {history.Count} operations over {keys.Length} keys: {result.Verdict} in {result.Elapsed.TotalMilliseconds:F0} ms ({result.Steps} steps); whole run {startup.Elapsed.TotalSeconds:F1} s");
            if (!result.IsLinearizable)
            {
                throw new NemesisAnomalyException($"{result.Describe()}{Environment.NewLine}{Context()}", result);
            }

            // Only now: an anomaly says more than a thin run, and is reported first.
            var violations = ((floors ?? NemesisFloors.Default) with { MinMembershipChanges = changeMembership ? 1 : 0 }).Violations(tally);
            if (violations.Count > 0)
            {
                throw new NemesisFloorException($"the run is too thin to count as evidence: {string.Join("; ", violations)}");
            }
        }
        catch (Exception error) when (error is not NemesisAnomalyException)
        {
            throw new InvalidOperationException($"nemesis run failed: {error.Message}{Environment.NewLine}{Context()}{Environment.NewLine}member output:{Environment.NewLine}{Tail(cluster.Output)}", error);
        }
    }

    /// <summary>
    /// The cluster, started again (on new ports) if a member could not bind its port: free ports are picked by
    /// binding to port 0 and releasing it, so a parallel process can take one in between. Infrastructure, not the
    /// system under test; anything else fails at once.
    /// </summary>
    private async Task<ThreeNodeCluster> StartClusterAsync(string[] flags, int spares)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ThreeNodeCluster.StartAsync(dialThroughProxies: true, spares, flags);
            }
            catch (InvalidOperationException error) when (attempt < 3 && error.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                log($"a member could not bind its port (taken by another process); starting the cluster again on new ports");
            }
        }
    }

    private static string Tail(string output, int lines = 200)
    {
        var all = output.Split(Environment.NewLine);
        return string.Join(Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
    }
}
