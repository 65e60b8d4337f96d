using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A snapshot must not stop the node from answering writes: etcd clones the store and saves the clone in
/// the background. If the save runs on the Raft driver thread every write waits for it, and with a large
/// store the wait passes the request timeout and clients get errorCode 300.
/// </summary>
public sealed partial class SnapshotStallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Writes_are_answered_while_a_snapshot_of_a_large_store_is_being_saved()
    {
        using var dataDir = new TempDataDir("kvdir-stall");
        await using var node = await NodeProcess.StartAsync(dataDir, ["--snapshot-count", "5000"]);
        using var client = new KeysClient(node.ClientUrl, 32, TimeSpan.FromSeconds(60));
        var payload = new string('s', 16_384);
        await BulkWriter.PutAllAsync(client, 4_000, 32, i => string.Create(CultureInfo.InvariantCulture, $"/stall/{i}"), _ => payload);

        // Small writes keep going until the first snapshot (at ~5000 applied entries) is logged as saved.
        var latencies = new List<(TimeSpan Latency, string Key)>();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !SnapshotSaved().IsMatch(node.Output); i++)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"/during/{w}/{i}");
                var clock = Stopwatch.StartNew();
                var response = await client.PutAsync(key, "x");
                response.IsSuccess.Should().BeTrue($"a write during a snapshot is answered: {response.Text}");
                lock (latencies)
                {
                    latencies.Add((clock.Elapsed, key));
                }
            }
        }));
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));

        var saved = SnapshotSaved().Match(node.Output);
        var snapshotMilliseconds = long.Parse(saved.Groups["ms"].Value, CultureInfo.InvariantCulture);
        var slowest = latencies.MaxBy(l => l.Latency);
        output.WriteLine($"snapshot of {saved.Groups["bytes"].Value} bytes took {snapshotMilliseconds} ms; {latencies.Count} writes during the run, slowest {slowest.Latency.TotalMilliseconds:F0} ms ({slowest.Key})");

        // Writes normally take milliseconds; one that waited about as long as the snapshot was blocked by it.
        slowest.Latency.Should().BeLessThan(TimeSpan.FromMilliseconds(Math.Max(100, snapshotMilliseconds * 0.9)),
            $"the snapshot ({snapshotMilliseconds} ms) must not block the write path (SnapshotScheduler.MaybeSnapshot ran the save on the node's thread)");
    }

    [GeneratedRegex(@"Snapshot saved at index \d+ \((?<bytes>\d+) bytes, (?<ms>\d+) ms\)")]
    private static partial Regex SnapshotSaved();
}
