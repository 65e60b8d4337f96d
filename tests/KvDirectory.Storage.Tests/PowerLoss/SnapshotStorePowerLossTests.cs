using KvDirectory.Raft;
using KvDirectory.Storage.FileSystem;
using KvDirectory.Testing.Disk;
using Xunit.Abstractions;

namespace KvDirectory.Storage.Tests.PowerLoss;

/// <summary>
/// The snapshot store on a disk that loses power in the middle of a save (the data, the header, the fsync, the rename,
/// the pruning of old snapshots), with unsynced writes torn anywhere and surviving out of order: it always opens again,
/// and hands out the newest snapshot whose save returned, or a newer one, never a damaged one and never none. Skipping
/// the file fsyncs is caught. (The LiteDB database of earlier versions failed this on a gentler disk.)
/// </summary>
public sealed class SnapshotStorePowerLossTests(ITestOutputHelper output)
{
    private const int Seeds = 100;

    /// <summary>The mutation is caught in most seeds; a few suffice.</summary>
    private const int MutationSeeds = 25;
    private const string SnapDirectory = "/simulated/member/snap";

    [Fact]
    public void After_a_power_loss_mid_save_the_store_opens_with_the_last_saved_snapshot_or_a_newer_one()
    {
        var cutsInsideSave = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var (violation, cut) = Run(seed, disk => disk);
            if (violation is not null)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}: {violation}");
            }

            cutsInsideSave += cut ? 1 : 0;
        }

        output.WriteLine($"{Seeds} seeds, the power failed inside a save in {cutsInsideSave}");
        cutsInsideSave.Should().BeGreaterThan(Seeds / 2, "most cuts must land inside a save to prove anything");
    }

    [Fact]
    public void A_store_whose_fsyncs_do_nothing_is_caught_losing_a_saved_snapshot()
    {
        var caught = Enumerable.Range(1, MutationSeeds).Select(seed => Run(seed, FsyncMutations.SkipFileFsync).Violation).Where(v => v is not null).ToArray();

        output.WriteLine($"caught in {caught.Length} of {MutationSeeds} seeds; first: {caught.FirstOrDefault()}");
        caught.Should().NotBeEmpty();
    }

    /// <summary>Saves snapshots 1..n with the power cut somewhere along the way; then checks what the store opens with.</summary>
    private static (string? Violation, bool CutInsideSave) Run(int seed, Func<IStorageFileSystem, IStorageFileSystem> decorate)
    {
        var random = new Random(seed);
        var disk = new SimulatedDisk(seed);
        var options = new SnapshotStoreOptions { MaxSnapshots = 1 + random.Next(3), FileSystem = decorate(disk) };
        ulong saved = 0;
        var cutInsideSave = false;
        using (var store = SnapshotStore.Open(SnapDirectory, options))
        {
            store.Save(Metadata(1), new MemoryStream(Data(1, random)));
            saved = 1;
        }

        // Several saves in one open, so pruning and reused pages are on the way too.
        var opened = SnapshotStore.Open(SnapDirectory, options);
        disk.FailAfter(random.Next(0, 80));
        try
        {
            for (var index = 2UL; index < 12 && !disk.PowerLost; index++)
            {
                opened.Save(Metadata(index), new MemoryStream(Data(index, random)));
                // A save that returned after the cut ran on a dead machine: it does not count.
                if (!disk.PowerLost) saved = index;
            }
        }
        catch (Exception) when (disk.PowerLost)
        {
            // The save the power cut short did not return.
        }

        cutInsideSave = disk.PowerLost;

        disk.LosePower();
        try
        {
            using var reopened = SnapshotStore.Open(SnapDirectory, options);
            var latest = reopened.LoadLatest();
            if (latest is null) return ($"no snapshot after the power loss; the save of {saved} had returned", cutInsideSave);
            if (latest.Metadata.Index < saved) return ($"snapshot {latest.Metadata.Index} is the newest, but the save of {saved} had returned", cutInsideSave);
            if (latest.Data.Length < 8 || BitConverter.ToUInt64(latest.Data.Span) != latest.Metadata.Index)
                return ($"snapshot {latest.Metadata.Index} holds another snapshot's data", cutInsideSave);
            return (null, cutInsideSave);
        }
        catch (Exception error)
        {
            return ($"the store does not open after the power loss: {error.GetType().Name}: {error.Message}", cutInsideSave);
        }
    }

    private static SnapshotMetadata Metadata(ulong index) => new(index, 1, new ConfState(1UL));

    /// <summary>Its index first (so a mix-up shows), then up to 20 KB of noise.</summary>
    private static byte[] Data(ulong index, Random random)
    {
        var data = new byte[8 + random.Next(20_000)];
        random.NextBytes(data);
        BitConverter.TryWriteBytes(data, index);
        return data;
    }
}
