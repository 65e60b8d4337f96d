using KvDirectory.Raft;
using static KvDirectory.Storage.Tests.LogBuilder;

namespace KvDirectory.Storage.Tests;

public sealed class WalGroupCommitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WalDir => _dir.Combine("wal");

    [Fact]
    public async Task Appends_queued_while_an_fsync_runs_share_the_next_single_fsync()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, new WalOptions { Preallocate = false });
        using var gate = new ManualResetEventSlim(false);
        using (log)
        {
            // The gate stands in for a slow fsync: every append arrives while the flusher is busy.
            log.FlushGateForTests = gate;
            var order = new Lock();
            ulong next = 0;
            // 64 concurrent callers; each gets its index and enqueues under one lock, as a Raft driver would.
            // StartNew, not Task.Run: the caller's task must hand back the append task, not wait for it.
            var callers = Enumerable.Range(0, 64).Select(_ => Task.Factory.StartNew(() =>
            {
                lock (order)
                {
                    next++;
                    return log.AppendAsync(new HardState(1, 1, next), [Entry(next, 1)]);
                }
            }, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default)).ToArray();
            var appends = await Task.WhenAll(callers);
            appends.Should().OnlyContain(t => !t.IsCompleted, "nothing is durable before the fsync");

            gate.Set();
            await Task.WhenAll(appends);
            log.FsyncCount.Should().Be(1);
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir);
        using (reopened)
        {
            recovery.Entries.Should().Equal(Entries(1, 64, 1));
            recovery.HardState.Should().Be(new HardState(1, 1, 64));
        }
    }

    [Fact]
    public async Task Sixty_four_concurrent_appenders_are_all_durable_in_the_order_their_indexes_were_assigned()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, new WalOptions { Preallocate = false });
        var order = new Lock();
        ulong next = 0;
        using (log)
        {
            var appenders = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
            {
                for (var round = 0; round < 10; round++)
                {
                    Task append;
                    // Index assignment and enqueue happen together, as in a Raft driver; the fsync wait does not.
                    lock (order)
                    {
                        next++;
                        append = log.AppendAsync(null, [Entry(next, 1)]);
                    }
                    await append;
                }
            })).ToArray();
            await Task.WhenAll(appenders);
            log.FsyncCount.Should().BeInRange(1, 640);
            log.LastIndex.Should().Be(640);
        }
        var (reopened, recovery) = WriteAheadLog.Open(WalDir);
        using (reopened) recovery.Entries.Should().Equal(Entries(1, 640, 1));
    }

    [Fact]
    public async Task Durability_callbacks_run_in_append_order_before_each_append_completes()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, new WalOptions { Preallocate = false });
        using var gate = new ManualResetEventSlim(false);
        var seen = new List<ulong>();
        using (log)
        {
            log.FlushGateForTests = gate;
            var appends = Enumerable.Range(1, 20).Select(i => (ulong)i)
                .Select(i => log.AppendAsync(null, [Entry(i, 1)], () => seen.Add(i)))
                .ToArray();
            gate.Set();
            await Task.WhenAll(appends);
        }
        seen.Should().Equal(Enumerable.Range(1, 20).Select(i => (ulong)i));
    }

    [Fact]
    public async Task A_synchronous_append_waits_for_its_own_fsync()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, new WalOptions { Preallocate = false });
        using (log)
        {
            log.Append(new HardState(1, 0, 0), Entries(1, 2, 1));
            log.FsyncCount.Should().Be(1);
            await log.AppendAsync(null, Entries(3, 3, 1));
            log.FsyncCount.Should().Be(2);
            await log.AppendAsync(null, []);
            log.FsyncCount.Should().Be(2, "an empty batch has nothing to persist");
        }
    }

    [Fact]
    public async Task Dispose_lets_queued_appends_reach_the_disk_first()
    {
        var (log, _) = WriteAheadLog.Open(WalDir, new WalOptions { Preallocate = false });
        using var gate = new ManualResetEventSlim(false);
        log.FlushGateForTests = gate;
        var appends = Enumerable.Range(1, 10).Select(i => log.AppendAsync(null, [Entry((ulong)i, 1)])).ToArray();
        gate.Set();
        log.Dispose();
        await Task.WhenAll(appends);

        var (reopened, recovery) = WriteAheadLog.Open(WalDir);
        using (reopened) recovery.Entries.Should().Equal(Entries(1, 10, 1));
    }

    [Fact]
    public void Appending_to_a_disposed_log_fails()
    {
        var (log, _) = WriteAheadLog.Open(WalDir);
        log.Dispose();
        Action append = () => log.AppendAsync(null, Entries(1, 1, 1));
        append.Should().Throw<ObjectDisposedException>();
    }
}
