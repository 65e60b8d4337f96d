using KvDirectory.Testing.Disk;

namespace KvDirectory.Storage.Tests.PowerLoss;

/// <summary>The simulated disk keeps exactly what POSIX promises across a power loss, and no more than its seed allows.</summary>
public sealed class SimulatedDiskTests
{
    private const string Dir = "/disk";
    private const string File = "/disk/f";

    [Fact]
    public void Fsynced_bytes_under_a_synced_name_survive_every_power_loss()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var disk = NewDiskWithSyncedFile(seed, [1, 2, 3]);
            using (var file = disk.Open(File, createNew: false))
            {
                file.Write([new byte[] { 4, 5 }], 3);
            }

            disk.LosePower();

            disk.ReadAllBytes(File).AsSpan(0, 3).ToArray().Should().Equal(1, 2, 3);
        }
    }

    [Fact]
    public void Unsynced_writes_are_lost_kept_torn_or_zeroed_depending_on_the_seed()
    {
        var outcomes = new HashSet<string>();
        for (var seed = 0; seed < 200; seed++)
        {
            var disk = NewDiskWithSyncedFile(seed, [1, 2, 3]);
            using (var file = disk.Open(File, createNew: false))
            {
                file.Write([new byte[] { 4, 5, 6, 7 }], 3);
            }

            disk.LosePower();
            var after = disk.ReadAllBytes(File);
            outcomes.Add(after.Length == 3 ? "lost"
                : after.AsSpan(3).ToArray().All(b => b == 0) ? "zeroed"
                : after.Length == 7 ? "kept"
                : "torn");
        }

        outcomes.Should().BeEquivalentTo(["lost", "kept", "torn", "zeroed"]);
    }

    [Fact]
    public void A_created_file_whose_directory_was_not_synced_may_vanish_and_a_synced_one_stays()
    {
        var vanished = 0;
        for (var seed = 0; seed < 50; seed++)
        {
            var disk = new SimulatedDisk(seed);
            disk.CreateDirectory(Dir);
            using (var file = disk.Open(File, createNew: true))
            {
                file.Write([new byte[] { 1 }], 0);
                file.Flush();
            }

            disk.LosePower();
            if (disk.ListFiles(Dir, string.Empty).Count == 0) vanished++;
        }

        vanished.Should().BeInRange(1, 49);
        NewDiskWithSyncedFile(7, [9]).ListFiles(Dir, string.Empty).Should().Equal(File);
    }

    [Fact]
    public void The_power_fails_in_the_chosen_operation_and_nothing_works_until_it_comes_back()
    {
        var disk = NewDiskWithSyncedFile(3, [1]);
        var file = disk.Open(File, createNew: false);
        disk.FailAfter(1);
        file.Write([new byte[] { 2 }], 1);

        var flush = () => file.Flush();
        flush.Should().Throw<PowerLossException>();
        var rename = () => disk.Rename(File, "/disk/g");
        rename.Should().Throw<PowerLossException>();

        disk.LosePower();
        flush.Should().Throw<PowerLossException>("a file opened before the power loss is gone");
        disk.ReadAllBytes(File)[0].Should().Be(1);
    }

    private static SimulatedDisk NewDiskWithSyncedFile(int seed, byte[] content)
    {
        var disk = new SimulatedDisk(seed);
        disk.CreateDirectory(Dir);
        using (var file = disk.Open(File, createNew: true))
        {
            file.Write([content], 0);
            file.Flush();
        }

        disk.SyncDirectory(Dir);
        return disk;
    }
}
