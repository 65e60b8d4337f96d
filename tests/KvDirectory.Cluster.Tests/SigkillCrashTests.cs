using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Issue 4's promise under SIGKILL at random moments: a write that was answered with success survives
/// any crash, nothing is half-applied, and the etcd index never goes backwards across restarts.
/// </summary>
public sealed class SigkillCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_acknowledged_write_survives_SIGKILL_at_a_random_moment_and_the_index_never_goes_backwards()
    {
        var seed = TestSeed.Next();
        var repro = TestSeed.Repro(seed, nameof(Every_acknowledged_write_survives_SIGKILL_at_a_random_moment_and_the_index_never_goes_backwards));
        output.WriteLine($"seed {seed}; {repro}");
        var random = new Random(seed);
        var rounds = TestSeed.IsLong ? 200 : 12;
        var writers = random.Next(8, 17);
        using var dataDir = new TempDataDir("kvdir-crash");
        var model = new CrashModel();
        var totalAcked = 0;
        var totalUnknown = 0;

        // Small snapshot counts make rounds cross snapshots, so recovery is snapshot + WAL replay, not WAL alone.
        var arguments = new[] { "--snapshot-count", random.Next(50, 400).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var node = await NodeProcess.StartAsync(dataDir, arguments);
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                var killAfter = random.Next(20, TestSeed.IsLong ? 2_000 : 300);
                var workload = new CrashWorkload(seed, round, killAfter, model.Baseline);
                using (var client = new KeysClient(node.ClientUrl, writers, TimeSpan.FromSeconds(20)))
                {
                    var writing = workload.RunAsync(client, writers);
                    var finished = await Task.WhenAny(workload.KillMoment, writing);
                    if (finished == writing)
                    {
                        await writing;
                        throw new InvalidOperationException($"round {round}: every writer stopped before the kill moment ({workload.Acknowledged} acks); {repro}\n{node.Output}");
                    }

                    await node.KillAsync();
                    workload.Stop();
                    await writing;
                }

                await node.DisposeAsync();
                node = await NodeProcess.StartAsync(dataDir, arguments);
                using var reader = new KeysClient(node.ClientUrl, 1);
                var root = await reader.GetAsync("/", recursive: true);
                root.IsSuccess.Should().BeTrue($"a recursive GET of the root answers after restart: {root.Text}");
                var records = workload.Records.ToList();
                totalAcked += records.Count(r => r.Acknowledged);
                totalUnknown += records.Count(r => !r.Acknowledged);
                var problems = model.Verify(records, StoredKey.Flatten(root), root.EtcdIndex);
                problems.Should().BeEmpty(
                    $"round {round} (kill after {killAfter} acks, {writers} writers, snapshot count {arguments[1]}, seed {seed}) must keep every acknowledged write; {repro}\nnode output after restart:\n{node.Output}");
            }
        }
        finally
        {
            await node.DisposeAsync();
        }

        output.WriteLine($"{rounds} crashes, {totalAcked} acknowledged writes verified, {totalUnknown} with unknown outcome");
    }
}
