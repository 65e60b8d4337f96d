using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// With frequent snapshots, recovery after SIGKILL is "newest snapshot + WAL after it": every acknowledged
/// write must come back, and WAL segments covered by snapshots must be released, not kept forever.
/// </summary>
public sealed partial class SnapshotRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_many_snapshots_and_SIGKILL_every_acknowledged_key_is_back_and_old_WAL_segments_are_released()
    {
        using var dataDir = new TempDataDir("kvdir-snap");
        // --max-wals 1 lets a few 64 MiB segments prove that release works without writing gigabytes.
        string[] arguments = ["--snapshot-count", "100", "--max-wals", "1"];
        const int smallKeys = 3_000;
        const int bigWrites = 2_300;
        var bigValue = new string('x', 64 * 1024);

        var node = await NodeProcess.StartAsync(dataDir, arguments);
        try
        {
            using var client = new KeysClient(node.ClientUrl, 16);
            var small = await BulkWriter.PutAllAsync(client, smallKeys, 16,
                i => string.Create(CultureInfo.InvariantCulture, $"/snap/{i}"), i => string.Create(CultureInfo.InvariantCulture, $"value-{i}"));
            // Overwrites of a few keys: the WAL grows by ~150 MiB while the store (and so each snapshot) stays small.
            var big = await BulkWriter.PutAllAsync(client, bigWrites, 16,
                i => string.Create(CultureInfo.InvariantCulture, $"/big/{i % 8}"), i => string.Create(CultureInfo.InvariantCulture, $"{i}:{bigValue}"));
            var beforeKill = node.Output;
            await node.KillAsync();

            var saved = SnapshotSavedLines().Matches(beforeKill).Count;
            var walFiles = dataDir.WalSegments();
            output.WriteLine($"{saved} snapshots saved; {walFiles.Count} WAL segments left: {string.Join(", ", walFiles.Select(Path.GetFileName))}");
            // A snapshot is due every 100 entries, but a save that falls due while one is running is folded into the
            // next, so on a slow disk far fewer than 53 are written; a handful is enough for retention and release.
            saved.Should().BeGreaterThanOrEqualTo(5, "a snapshot is due every 100 applied entries:\n" + beforeKill);
            beforeKill.Should().Contain("released", "segments covered by snapshots are deleted");
            // A segment is released only once the second-newest snapshot covers it, so right after a cut one more may remain.
            walFiles.Count.Should().BeLessThanOrEqualTo(3, "with --max-wals 1 released segments are deleted, not kept");
            walFiles.Select(Path.GetFileName).Should().NotContain(f => f!.StartsWith("0000000000000001-", StringComparison.Ordinal), "the first segment is long covered by snapshots");
            Directory.GetFiles(dataDir.SnapshotDirectory, "*.snap").Should().NotBeEmpty();

            await node.DisposeAsync();
            node = await NodeProcess.StartAsync(dataDir, arguments);
            var recovered = RecoveredFromSnapshot().Match(node.Output);
            recovered.Success.Should().BeTrue("the startup log says where recovery began:\n" + node.Output);
            var snapshotIndex = ulong.Parse(recovered.Groups[1].Value, CultureInfo.InvariantCulture);
            output.WriteLine($"restarted in {node.TimeToHealthy.TotalMilliseconds:F0} ms from the snapshot at index {snapshotIndex}");
            snapshotIndex.Should().BeGreaterThan(0, "recovery starts from a snapshot, not from an empty store");

            using var reader = new KeysClient(node.ClientUrl, 1);
            var stored = StoredKey.Flatten(await reader.GetAsync("/", recursive: true));
            foreach (var (key, (value, index)) in small)
            {
                stored.Should().ContainKey(key);
                stored[key].Value.Should().Be(value, key);
                stored[key].ModifiedIndex.Should().Be(index, key);
            }

            // For the overwritten keys the last acknowledgement (highest index) is what must be there.
            foreach (var last in big.GroupBy(p => p.Key).Select(g => g.MaxBy(p => p.Value.ModifiedIndex)))
            {
                stored[last.Key].ModifiedIndex.Should().Be(last.Value.ModifiedIndex, last.Key);
                stored[last.Key].Value.Should().Be(last.Value.Value, last.Key);
            }
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    [GeneratedRegex(@"Snapshot saved at index \d+")]
    private static partial Regex SnapshotSavedLines();

    [GeneratedRegex(@"Raft storage recovered: snapshot index (\d+)")]
    private static partial Regex RecoveredFromSnapshot();
}
