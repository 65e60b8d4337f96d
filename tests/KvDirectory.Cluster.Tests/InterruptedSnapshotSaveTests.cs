using System.Globalization;
using System.Text.RegularExpressions;
using LiteDB;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// SIGKILL in the middle of a snapshot save leaves, in snapshots.db, an incomplete metadata document and
/// data chunks whose file document was not written yet (LiteDB writes chunks first, the file document at
/// the end). Found by the crash test: the next start must clean that up so later snapshots still save.
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
            await node.KillAsync();
        }

        // What the interrupted save left: the next metadata document (not complete) and its first chunk only.
        using (var database = new LiteDatabase(new ConnectionString { Filename = dataDir.SnapshotDatabase, Connection = ConnectionType.Direct }))
        {
            var snapshots = database.GetCollection("snapshots", BsonAutoId.Int64);
            var id = snapshots.Insert(new BsonDocument
            {
                ["index"] = 1_000_000L,
                ["term"] = 2L,
                ["voters"] = new BsonArray(),
                ["learners"] = new BsonArray(),
                ["complete"] = false,
            }).AsInt64;
            database.GetCollection("snapshot_chunks").Insert(new BsonDocument
            {
                ["_id"] = new BsonDocument { ["f"] = $"snap-{id:x16}", ["n"] = 0 },
                ["data"] = new byte[] { 1, 2, 3 },
            });
            output.WriteLine($"left an incomplete snapshot document {id} and an orphan chunk snap-{id:x16}/0");
        }

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
        SnapshotSaved().Matches(restarted.Output).Count.Should().BeGreaterThan(savedBefore, "300 writes with --snapshot-count 50 take snapshots:\n" + restarted.Output);
        acknowledged.Should().HaveCount(300);
    }

    private static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"/halfsnap/{i}");

    [GeneratedRegex(@"Snapshot saved at index \d+")]
    private static partial Regex SnapshotSaved();
}
