using KvDirectory.Raft;
using static KvDirectory.Storage.Tests.LogBuilder;

namespace KvDirectory.Storage.Tests;

/// <summary>Raft's <c>MustSync</c>: a Ready that only moves the commit index is written but costs no fsync of its own.</summary>
public sealed class MustSyncTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_commit_only_hard_state_costs_no_fsync_and_reads_back_after_a_clean_close()
    {
        using (var storage = DurableRaftStorage.Open(_dir.Path, bootstrap: new ConfState(1)))
        {
            storage.Append(new HardState(2, 1, 0), Entries(1, 3, 2));
            var fsyncs = storage.Wal.FsyncCount;

            storage.Append(new HardState(2, 1, 3), [], mustSync: false);

            storage.Wal.FsyncCount.Should().Be(fsyncs, "moving only the commit index need not wait for the disk");
            storage.InitialState().HardState.Should().Be(new HardState(2, 1, 3), "the core sees it at once");

            storage.Append(null, Entries(4, 4, 2));
            storage.Wal.FsyncCount.Should().Be(fsyncs + 1, "new entries are synced, and the commit record with them");
        }

        using var reopened = DurableRaftStorage.Open(_dir.Path);
        reopened.InitialState().HardState.Should().Be(new HardState(2, 1, 3));
        reopened.LastIndex().Should().Be(4);
    }
}
