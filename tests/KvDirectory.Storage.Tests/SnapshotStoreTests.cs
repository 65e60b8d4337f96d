using KvDirectory.Raft;
using LiteDB;

namespace KvDirectory.Storage.Tests;

public sealed class SnapshotStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SnapDirectory => _dir.Combine("member", "snap");

    private string[] SnapshotFiles => Directory.GetFiles(SnapDirectory, "*.snap").Order(StringComparer.Ordinal).ToArray();

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
        var data = Data(1_000_000, 1); // several copy buffers
        using (var store = SnapshotStore.Open(SnapDirectory))
        {
            var info = await store.SaveAsync(Meta(100), new MemoryStream(data));
            info.Length.Should().Be(data.Length);
            info.Checksum.Should().Be(Crc32C.Compute(data));
        }

        using var reopened = SnapshotStore.Open(SnapDirectory);
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
        using var store = SnapshotStore.Open(SnapDirectory);
        store.OpenLatest().Should().BeNull();
        store.LoadLatest().Should().BeNull();
        store.List().Should().BeEmpty();
    }

    [Fact]
    public void A_second_instance_on_the_same_directory_is_refused()
    {
        using var store = SnapshotStore.Open(SnapDirectory);
        var second = () => SnapshotStore.Open(SnapDirectory);
        second.Should().Throw<IOException>().WithMessage("*in use*");
    }

    [Fact]
    public void Only_the_newest_max_snapshots_are_kept_with_their_data()
    {
        using var store = SnapshotStore.Open(SnapDirectory, new SnapshotStoreOptions { MaxSnapshots = 3 });
        for (ulong i = 1; i <= 5; i++) store.Save(Meta(i * 10), new MemoryStream(Data(300_000, (int)i)));

        store.List().Select(s => s.Index).Should().Equal(50UL, 40UL, 30UL);
        SnapshotFiles.Should().HaveCount(3);
        store.LoadLatest()!.Data.ToArray().Should().Equal(Data(300_000, 5));
    }

    [Fact]
    public void A_save_cut_short_by_a_crash_leaves_a_temporary_file_that_the_next_open_removes()
    {
        var logger = new CapturingLogger();
        using (var store = SnapshotStore.Open(SnapDirectory))
        {
            store.Save(Meta(10), new MemoryStream(Data(1000, 10)));
        }

        // What a process killed mid-save leaves: the next save's temporary file, partly written.
        var leftover = Path.Combine(SnapDirectory, $"{20:x16}-{2:x16}.snap.tmp");
        File.WriteAllBytes(leftover, Data(400, 20));

        using var reopened = SnapshotStore.Open(SnapDirectory, logger: logger);
        reopened.List().Select(s => s.Index).Should().Equal(10UL);
        reopened.LoadLatest()!.Data.ToArray().Should().Equal(Data(1000, 10));
        logger.MessagesWithEvent(4022).Should().ContainSingle().Which.Should().Contain("20");
        File.Exists(leftover).Should().BeFalse();
        reopened.Save(Meta(30), new MemoryStream(Data(1000, 30))).Index.Should().Be(30);
    }

    [Fact]
    public void A_corrupted_latest_snapshot_falls_back_to_the_previous_good_one_with_a_warning()
    {
        var logger = new CapturingLogger();
        using var store = SnapshotStore.Open(SnapDirectory, logger: logger);
        store.Save(Meta(10), new MemoryStream(Data(600_000, 10)));
        store.Save(Meta(20), new MemoryStream(Data(600_000, 20)));
        FlipByte(SnapshotFiles[^1], 300_000);

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
    public void A_damaged_header_or_a_truncated_file_also_falls_back()
    {
        var logger = new CapturingLogger();
        using var store = SnapshotStore.Open(SnapDirectory, logger: logger);
        store.Save(Meta(10), new MemoryStream(Data(1000, 10)));
        store.Save(Meta(20), new MemoryStream(Data(600_000, 20)));
        store.Save(Meta(30), new MemoryStream(Data(600_000, 30)));
        FlipByte(SnapshotFiles[^1], 9);
        using (var file = File.OpenWrite(SnapshotFiles[^2]))
        {
            file.SetLength(file.Length - 1);
        }

        store.List().Select(s => s.Index).Should().Equal(20UL, 10UL);
        store.LoadLatest()!.Metadata.Index.Should().Be(10);
        logger.MessagesWithEvent(4021).Should().Contain(m => m.Contains("index 30") && m.Contains("header"))
            .And.Contain(m => m.Contains("index 20") && m.Contains("length"));
    }

    [Fact]
    public async Task A_cancelled_save_leaves_nothing_behind()
    {
        using var store = SnapshotStore.Open(SnapDirectory);
        store.Save(Meta(10), new MemoryStream(Data(1000, 10)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var save = () => store.Save(Meta(20), new MemoryStream(Data(1000, 20)), cancelled.Token);
        save.Should().Throw<OperationCanceledException>();
        store.List().Select(s => s.Index).Should().Equal(10UL);
        Directory.GetFiles(SnapDirectory).Select(Path.GetFileName).Should().BeEquivalentTo([Path.GetFileName(SnapshotFiles[0]), "snapshots.lock"]);
    }

    [Fact]
    public void Two_snapshots_at_the_same_index_prefer_the_later_save()
    {
        using var store = SnapshotStore.Open(SnapDirectory);
        store.Save(Meta(10, term: 1), new MemoryStream(Data(100, 1)));
        store.Save(Meta(10, term: 1), new MemoryStream(Data(100, 2)));
        store.LoadLatest()!.Data.ToArray().Should().Equal(Data(100, 2));
    }

    [Fact]
    public void The_snapshots_of_an_earlier_versions_litedb_database_are_moved_into_files_once()
    {
        var logger = new CapturingLogger();
        Directory.CreateDirectory(SnapDirectory);
        var legacyPath = Path.Combine(SnapDirectory, "snapshots.db");
        using (var database = new LiteDatabase(new ConnectionString { Filename = legacyPath, Connection = ConnectionType.Direct }))
        {
            AddLegacySnapshot(database, Meta(10), Data(200_000, 10), complete: true);
            AddLegacySnapshot(database, Meta(20), Data(200_000, 20), complete: true);
            AddLegacySnapshot(database, Meta(30), Data(1000, 30), complete: false);
        }

        using (var store = SnapshotStore.Open(SnapDirectory, logger: logger))
        {
            store.List().Select(s => s.Index).Should().Equal(20UL, 10UL);
            store.LoadLatest()!.Data.ToArray().Should().Equal(Data(200_000, 20));
            store.List()[0].Metadata.Should().Be(Meta(20));
        }

        logger.MessagesWithEvent(4024).Should().ContainSingle().Which.Should().Contain("Moved 2 snapshots");
        Directory.GetFiles(SnapDirectory, "*.db").Should().BeEmpty("the database is deleted once its snapshots are files");
        using var reopened = SnapshotStore.Open(SnapDirectory, logger: logger);
        reopened.List().Select(s => s.Index).Should().Equal(20UL, 10UL);
        logger.MessagesWithEvent(4024).Should().ContainSingle("it happens once");
    }

    /// <summary>A snapshot as the LiteDB store of earlier versions kept it: a metadata document and the data in file storage.</summary>
    private static void AddLegacySnapshot(LiteDatabase database, SnapshotMetadata metadata, byte[] data, bool complete)
    {
        var id = database.GetCollection("snapshots", BsonAutoId.Int64).Insert(new BsonDocument
        {
            ["index"] = (long)metadata.Index,
            ["term"] = (long)metadata.Term,
            ["voters"] = new BsonArray(metadata.ConfState.Voters.Select(v => new BsonValue((long)v))),
            ["learners"] = new BsonArray(metadata.ConfState.Learners.Select(v => new BsonValue((long)v))),
            ["complete"] = complete,
            ["length"] = (long)data.Length,
            ["checksum"] = (long)Crc32C.Compute(data),
            ["savedAt"] = DateTime.UtcNow,
        }).AsInt64;
        database.GetStorage<string>("snapshot_files", "snapshot_chunks").Upload($"snap-{id:x16}", $"snap-{id:x16}.snap", new MemoryStream(data));
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0xFF));
    }
}
