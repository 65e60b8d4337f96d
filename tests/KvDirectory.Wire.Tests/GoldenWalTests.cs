using KvDirectory.Raft;
using KvDirectory.Storage;

namespace KvDirectory.Wire.Tests;

/// <summary>
/// A write-ahead log written by the build before the shared toolkit (Golden/wal) opens with the same state, and the
/// same operations still write the same files byte for byte (records, segment headers, snapshot markers, CRCs).
/// </summary>
public sealed class GoldenWalTests : IDisposable
{
    private static readonly WalOptions Options = new() { SegmentSizeBytes = 4096, Preallocate = false, MaxRetainedSegments = 0 };

    private readonly string _dir = Directory.CreateTempSubdirectory("kvdir-wire-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string GoldenDir => Path.Combine(AppContext.BaseDirectory, "Golden", "wal");

    [Fact]
    public void A_log_written_before_opens_with_the_same_state()
    {
        foreach (var file in Directory.GetFiles(GoldenDir))
        {
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
        }

        var (log, recovery) = WriteAheadLog.Open(_dir, Options);
        using (log)
        {
            recovery.TailRepaired.Should().BeFalse();
            recovery.HardState.Should().Be(new HardState(3, 1, 60));
            recovery.Metadata.ToArray().Should().Equal(Metadata);
            recovery.Snapshot.Index.Should().Be(20);
            recovery.Snapshot.Term.Should().Be(2);
            recovery.Entries.Should().HaveCount(40);
            Canonical.Describe(recovery.Entries).Should().Be(Canonical.Describe(Entries().Where(e => e.Index > 20).ToList()));
        }
    }

    [Fact]
    public void The_same_operations_write_the_golden_files()
    {
        Write(_dir);
        if (Environment.GetEnvironmentVariable("KVDIR_WRITE_GOLDEN") == "1")
        {
            var source = Path.Combine(GoldenFormatTests.SourceDirectory(), "Golden", "wal");
            Directory.CreateDirectory(source);
            foreach (var file in WalFiles(_dir))
            {
                File.Copy(file, Path.Combine(source, Path.GetFileName(file)), overwrite: true);
            }
        }

        WalFiles(_dir).Select(Path.GetFileName).Should().Equal(WalFiles(GoldenDir).Select(Path.GetFileName));
        foreach (var file in WalFiles(_dir))
        {
            File.ReadAllBytes(file).Should().Equal(File.ReadAllBytes(Path.Combine(GoldenDir, Path.GetFileName(file))), Path.GetFileName(file));
        }
    }

    private static byte[] Metadata => [0xa, 0xb, 0xc];

    private static IEnumerable<string> WalFiles(string dir) => Directory.GetFiles(dir, "*.wal").Order(StringComparer.Ordinal);

    private static List<Entry> Entries() =>
        [.. Enumerable.Range(1, 60).Select(i => new Entry(1 + ((ulong)i / 25), (ulong)i, i % 17 == 0 ? EntryType.ConfChange : EntryType.Normal,
            Enumerable.Range(0, i * 7 % 150).Select(b => (byte)(b * i)).ToArray()))];

    private static void Write(string dir)
    {
        var entries = Entries();
        var (log, _) = WriteAheadLog.Open(dir, Options);
        using (log)
        {
            log.SaveMetadata(Metadata);
            for (var i = 0; i < 60; i += 10)
            {
                log.Append(new HardState(1 + ((ulong)i / 25), 1, (ulong)i), entries.GetRange(i, 10));
                if (i == 20)
                {
                    log.SaveSnapshotMarker(20, 2);
                }
            }

            log.Append(new HardState(3, 1, 60), []);
        }
    }
}
