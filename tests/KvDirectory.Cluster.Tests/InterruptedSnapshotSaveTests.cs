using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// SIGKILL in the middle of a snapshot save leaves the save's temporary file, named for the next save. Found by the
/// crash test when snapshots lived in a database: the next start must clean up what an interrupted save left, so later
/// snapshots still save.
/// </summary>
public sealed partial class InterruptedSnapshotSaveTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_crash_in_the_middle_of_a_snapshot_save_the_node_keeps_taking_snapshots_and_accepting_writes()
    {
        using var dataDir = new TempDataDir("kvdir-halfsnap");
        string[] arguments = ["--snapshot-count", "50"];
        await using (var node = await NodeProcess.StartAsync(dataDir, arguments))
        {
            using var client = new KeysClient(node.ClientUrl, 8);
            await BulkWriter.PutAllAsync(client, 120, 8, Key, i => "before-" + i);

            // Saved in the background: killed before its first save is logged, the node could leave none to find.
            (await node.WaitForLineAsync("Snapshot saved at index", TimeSpan.FromSeconds(15))).Should().BeTrue("120 writes with --snapshot-count 50 take snapshots:\n" + node.Output);
            await node.KillAsync();
        }

        // What the interrupted save left: a temporary file, cut short, under the name the next save would use.
        var saves = Directory.GetFiles(dataDir.SnapshotDirectory, "*.snap").Select(f => Convert.ToUInt64(Path.GetFileNameWithoutExtension(f)[17..], 16)).ToList();
        saves.Should().NotBeEmpty("120 writes with --snapshot-count 50 took snapshots");
        var leftover = Path.Combine(dataDir.SnapshotDirectory, $"{1_000_000:x16}-{saves.Max() + 1:x16}.snap.tmp");
        await File.WriteAllBytesAsync(leftover, "KVSNAP01 cut short"u8.ToArray());
        output.WriteLine($"left {Path.GetFileName(leftover)}");

        await using var restarted = await NodeProcess.StartAsync(dataDir, arguments);
        var savedBefore = SnapshotSaved().Matches(restarted.Output).Count;
        using var writer = new KeysClient(restarted.ClientUrl, 8);
        var acknowledged = await BulkWriter.PutAllAsync(writer, 300, 8, i => Key(1_000 + i), i => "after-" + i);

        // Snapshots are saved in the background: the node logs the save a moment after the writes that triggered it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (SnapshotSaved().Matches(restarted.Output).Count <= savedBefore && DateTime.UtcNow < deadline && !restarted.Output.Contains("unrecoverable error", StringComparison.Ordinal))
        {
            await Task.Delay(20);
        }

        restarted.Output.Should().NotContain("unrecoverable error", "a leftover of an interrupted save must not stop the node at its next snapshot");
        File.Exists(leftover).Should().BeFalse("the start removes it");
        SnapshotSaved().Matches(restarted.Output).Count.Should().BeGreaterThan(savedBefore, "300 writes with --snapshot-count 50 take snapshots:\n" + restarted.Output);
        acknowledged.Should().HaveCount(300);
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"/halfsnap/{i}");

    [GeneratedRegex(@"Snapshot saved at index \d+")]
    private static partial Regex SnapshotSaved();
}
