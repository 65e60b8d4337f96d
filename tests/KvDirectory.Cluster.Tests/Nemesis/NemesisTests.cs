using System.Globalization;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// The linearizability promise under faults: concurrent clients set / swap / quorum-get / delete against random
/// members while the <see cref="Nemesis"/> kills, pauses and partitions (the leader included). Zero anomalies,
/// no acknowledged write lost, identical stores on every member once healed — and enough evidence to count:
/// every run meets the <see cref="NemesisFloors"/> (acknowledged writes, successful swaps, every fault kind, few
/// unknown outcomes) and prints its tally (server errors 300/301/5xx included).
/// Even seeds also add and remove members while the faults are active (<see cref="MembershipNemesis"/>).
/// Seeds 1–4 by default (each run about 20 s: start-up, 12 s of faults, healing, checking): faults alone on 1 and 3,
/// with membership changes on 2 and 4, frequent snapshots on 1 and 2, so each pairing is run once;
/// KVDIR_LONG=1 runs seeds 1–200 (each seed's output ends with the totals so far, so the last one holds the overall totals); KVDIR_SEED=n runs seed n alone.
/// </summary>
public sealed class NemesisTests(ITestOutputHelper output, NemesisTotals totals) : IClassFixture<NemesisTotals>
{
    private static readonly TimeSpan FaultPhase = TimeSpan.FromSeconds(12);

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        var replay = Environment.GetEnvironmentVariable("KVDIR_SEED");
        if (replay is not null && int.TryParse(replay, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
        {
            data.Add(seed);
            return data;
        }

        foreach (var s in Enumerable.Range(1, TestSeed.IsLong ? 200 : 4))
        {
            data.Add(s);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Concurrent_clients_see_a_linearizable_history_and_lose_no_acknowledged_write_while_the_nemesis_kills_pauses_and_partitions(int seed)
    {
        var repro = $"repro: KVDIR_SEED={seed} dotnet test tests/KvDirectory.Cluster.Tests -c Release --filter \"FullyQualifiedName~{nameof(NemesisTests)}\"";
        var run = new NemesisRun(seed, FaultPhase, output.WriteLine);
        var (anomaly, failed) = (false, true);
        try
        {
            await run.ExecuteAsync(repro);
            failed = false;
        }
        catch (NemesisAnomalyException)
        {
            anomaly = true;
            throw;
        }
        finally
        {
            totals.Add(seed, run.Tally, anomaly, failed);
            output.WriteLine(totals.ToString());
        }
    }
}
