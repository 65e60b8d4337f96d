using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// How long a node with many keys takes from start to healthy after SIGKILL: snapshot load + WAL replay.
/// A measurement, not a timed assertion. KVDIR_LONG=1 writes 1,000,000 keys; otherwise 20,000 and
/// only correctness is asserted; KVDIR_RESTART_KEYS=n picks any other size.
/// </summary>
public sealed partial class RestartTimeMeasurement(ITestOutputHelper output)
{
    private const int EntriesAfterSnapshot = 9_900;

    [Fact]
    [Trait("Category", "Measurement")]
    public async Task Restart_with_many_keys_and_a_WAL_tail_after_the_snapshot_recovers_every_key()
    {
        // KVDIR_RESTART_KEYS picks another size, e.g. to extrapolate on a slow machine.
        var keyCount = int.TryParse(Environment.GetEnvironmentVariable("KVDIR_RESTART_KEYS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var requested)
            ? requested
            : TestSeed.IsLong ? 1_000_000 : 20_000;
        using var dataDir = new TempDataDir("kvdir-restart");
        // Snapshots of a large store block writes for seconds (see SnapshotStallTests): a long request
        // timeout keeps the bulk load from failing on that known bug; this test is about restart time.
        // A snapshot every 10,000 entries (the default is etcd's 100,000) so a 20k-key CI run crosses one.
        string[] arguments = ["--request-timeout-ms", "600000", "--snapshot-count", "10000"];
        var node = await NodeProcess.StartAsync(dataDir, arguments);
        try
        {
            var emptyStart = node.TimeToHealthy;
            using var client = new KeysClient(node.ClientUrl, 64, TimeSpan.FromMinutes(10));
            var clock = Stopwatch.StartNew();
            var written = await BulkWriter.PutAllAsync(client, keyCount, 64, KeyOf, ValueOf);
            output.WriteLine($"wrote {keyCount} keys in {clock.Elapsed.TotalSeconds:F1} s ({keyCount / clock.Elapsed.TotalSeconds:F0}/s)");

            // Top the WAL up to just under --snapshot-count entries after the newest snapshot: the worst case replay.
            var probe = await client.PutAsync("/restart-probe", "x");
            probe.IsSuccess.Should().BeTrue(probe.Text);
            var raftIndex = probe.RaftIndex;
            var lastSnapshot = SnapshotSaved().Matches(node.Output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            var topUp = (int)Math.Max(0, lastSnapshot + EntriesAfterSnapshot - raftIndex);
            var extra = await BulkWriter.PutAllAsync(client, topUp, 64, i => KeyOf(keyCount + i), i => ValueOf(keyCount + i));
            foreach (var pair in extra)
            {
                written[pair.Key] = pair.Value;
            }

            output.WriteLine($"newest snapshot at {lastSnapshot}, raft index {raftIndex} before the top-up of {topUp} writes");
            lastSnapshot.Should().BeGreaterThan(0, "--snapshot-count 10000 was crossed:\n" + node.Output);

            await node.KillAsync();
            await node.DisposeAsync();
            node = await NodeProcess.StartAsync(dataDir, arguments, TimeSpan.FromMinutes(5));
            output.WriteLine($"RESTART: {written.Count} keys, snapshot at {lastSnapshot} + ~{EntriesAfterSnapshot} WAL entries: healthy after {node.TimeToHealthy.TotalMilliseconds:F0} ms (an empty node: {emptyStart.TotalMilliseconds:F0} ms)");
            output.WriteLine(string.Join('\n', node.Output.Split('\n').Where(l => l.Contains("KvDirectory.Node", StringComparison.Ordinal))));

            using var reader = new KeysClient(node.ClientUrl, 64, TimeSpan.FromMinutes(2));
            var random = new Random(keyCount);
            var sample = TestSeed.IsLong ? written.Keys.OrderBy(_ => random.Next()).Take(5_000).ToList() : [.. written.Keys];
            await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, _) =>
            {
                var response = await reader.GetAsync(key);
                response.IsSuccess.Should().BeTrue($"{key} was acknowledged: {response.Text}");
                response.Value.Should().Be(written[key].Value);
                response.ModifiedIndex.Should().Be(written[key].ModifiedIndex);
            });
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static string KeyOf(int i) => string.Create(CultureInfo.InvariantCulture, $"/many/{i % 1000}/{i}");

    private static string ValueOf(int i) => string.Create(CultureInfo.InvariantCulture, $"value-{i}");

    [GeneratedRegex(@"Snapshot saved at index (\d+)")]
    private static partial Regex SnapshotSaved();
}
