using KvDirectory.Raft;
using LiteDB;

namespace KvDirectory.Storage.Tests;

public sealed class SnapshotStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DbPath => _dir.Combine("member", "snap", "snapshots.db");

    private static byte[] Data(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static SnapshotMetadata Meta(ulong index, ulong term = 2) => new(index, term, new ConfState([1, 2, 3], [9]));

    [Fact]
    public async Task A_saved_snapshot_streams_back_with_its_metadata_after_reopen()
    {
        var data = Data(1_000_000, 1); // several LiteDB chunks
        using (var store = SnapshotStore.Open(DbPath))
        {
            var info = await store.SaveAsync(Meta(100), new MemoryStream(data));
            info.Length.Should().Be(data.Length);
            info.Checksum.Should().Be(Crc32C.Compute(data));
        }

        using var reopened = SnapshotStore.Open(DbPath);
        using var latest = reopened.OpenLatest();
        latest.Should().NotBeNull();
        latest!.Metadata.Should().Be(Meta(100));
        using var copy = new MemoryStream();
        await latest.Data.CopyToAsync(copy);
        copy.ToArray().Should().Equal(data);

        var loaded = reopened.LoadLatest();
        loaded!.Metadata.Should().Be(Meta(100));
        loaded.Data.ToArray().Should().Equal(data);
    }

    [Fact]
    public void An_empty_store_has_no_latest_snapshot()
    {
        using var store = SnapshotStore.Open(DbPath);
        store.OpenLatest().Should().BeNull();
        store.LoadLatest().Should().BeNull();
        store.List().Should().BeEmpty();
    }

    [Fact]
    public void Only_the_newest_max_snapshots_are_kept_with_their_data()
    {
        using var store = SnapshotStore.Open(DbPath, new SnapshotStoreOptions { MaxSnapshots = 3 });
        for (ulong i = 1; i <= 5; i++) store.Save(Meta(i * 10), new MemoryStream(Data(300_000, (int)i)));

        store.List().Select(s => s.Index).Should().Equal(50UL, 40UL, 30UL);
        store.Database.GetStorage<string>("snapshot_files", "snapshot_chunks").FindAll().Should().HaveCount(3);
        store.LoadLatest()!.Data.ToArray().Should().Equal(Data(300_000, 5));
    }

    [Fact]
    public void A_crash_between_writing_data_and_marking_it_complete_keeps_the_previous_snapshot()
    {
        var logger = new CapturingLogger();
        using (var store = SnapshotStore.Open(DbPath))
        {
            store.Save(Meta(10), new MemoryStream(Data(1000, 10)));
            var id = store.BeginSave(Meta(20));
            store.WriteData(id, new MemoryStream(Data(400_000, 20)), CancellationToken.None);
            // Crash: the completion step never runs.
        }

        using var reopened = SnapshotStore.Open(DbPath, logger: logger);
        reopened.List().Select(s => s.Index).Should().Equal(10UL);
        reopened.LoadLatest()!.Data.ToArray().Should().Equal(Data(1000, 10));
        logger.MessagesWithEvent(4022).Should().ContainSingle().Which.Should().Contain("20");
        reopened.Database.GetStorage<string>("snapshot_files", "snapshot_chunks").FindAll().Should().HaveCount(1, "the partial data is removed");
    }

    [Fact]
    public void A_corrupted_latest_snapshot_falls_back_to_the_previous_good_one_with_a_warning()
    {
        var logger = new CapturingLogger();
        using var store = SnapshotStore.Open(DbPath, logger: logger);
        store.Save(Meta(10), new MemoryStream(Data(600_000, 10)));
        store.Save(Meta(20), new MemoryStream(Data(600_000, 20)));

        var chunks = store.Database.GetCollection("snapshot_chunks");
        var victim = chunks.FindAll().Last();
        var bytes = victim["data"].AsBinary;
        bytes[bytes.Length / 2] ^= 0xFF;
        victim["data"] = bytes;
        chunks.Update(victim).Should().BeTrue();

        using (var latest = store.OpenLatest())
        {
            latest!.Metadata.Index.Should().Be(10);
            using var copy = new MemoryStream();
            latest.Data.CopyTo(copy);
            copy.ToArray().Should().Equal(Data(600_000, 10));
        }
        store.LoadLatest()!.Metadata.Index.Should().Be(10);
        logger.MessagesWithEvent(4021).Should().NotBeEmpty().And.OnlyContain(m => m.Contains("index 20") && m.Contains("crc32c"));
    }

    [Fact]
    public void Missing_chunks_of_the_latest_snapshot_also_fall_back()
    {
        using var store = SnapshotStore.Open(DbPath);
        store.Save(Meta(10), new MemoryStream(Data(1000, 10)));
        store.Save(Meta(20), new MemoryStream(Data(600_000, 20)));
        var chunks = store.Database.GetCollection("snapshot_chunks");
        chunks.Delete(chunks.FindAll().Last()["_id"]).Should().BeTrue();

        store.LoadLatest()!.Metadata.Index.Should().Be(10);
    }

    [Fact]
    public async Task A_cancelled_save_leaves_nothing_behind()
    {
        using var store = SnapshotStore.Open(DbPath);
        store.Save(Meta(10), new MemoryStream(Data(1000, 10)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var save = () => store.Save(Meta(20), new MemoryStream(Data(1000, 20)), cancelled.Token);
        save.Should().Throw<OperationCanceledException>();
        store.List().Select(s => s.Index).Should().Equal(10UL);
        store.Database.GetCollection("snapshots").Count().Should().Be(1);
    }

    [Fact]
    public void Two_snapshots_at_the_same_index_prefer_the_later_save()
    {
        using var store = SnapshotStore.Open(DbPath);
        store.Save(Meta(10, term: 1), new MemoryStream(Data(100, 1)));
        store.Save(Meta(10, term: 1), new MemoryStream(Data(100, 2)));
        store.LoadLatest()!.Data.ToArray().Should().Equal(Data(100, 2));
    }
}
