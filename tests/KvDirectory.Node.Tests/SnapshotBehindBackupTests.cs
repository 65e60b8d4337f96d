using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Store;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Tests;

/// <summary>
/// The log's snapshot is refused while a backup's capture is open (one capture at a time). It must still be taken as
/// soon as that backup is written, with no further write to trigger it, and ahead of the next backup.
/// </summary>
// A real node with a real clock and fsyncs: alone, so it does not slow the stepped simulations beside it.
[Collection(AllocationCollection.Name)]
public sealed class SnapshotBehindBackupTests : IDisposable
{
    private const ulong Id = 0x8e9e05c52164694d;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("kvdir-backup-snap-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task A_snapshot_refused_during_a_backup_is_taken_once_it_is_written_before_the_next_backup()
    {
        var store = new V2Store(new StoreOptions(), TimeProvider.System);
        var saves = new SnapshotSaves();
        var metrics = new NodeMetrics();
        using var node = Start(store, metrics, saves);
        await node.ProposeAsync(new SetCommand("/first", false, "1", null, false), CancellationToken.None);

        // No save in flight when the backup opens its capture: while one is, the node does not even ask for a capture,
        // so no refusal would be recorded for the next backup to give way to. With a snapshot every 2 entries, a save
        // at or above the applied index less one means none is due or in flight.
        await saves.SavedAtOrAbove(node.AppliedIndex - 1).WaitAsync(TimeSpan.FromSeconds(30));
        var backup = await store.CaptureSnapshotAsync(CancellationToken.None);
        var capturesBefore = metrics.SnapshotCaptureDuration.Count;
        for (var i = 0; i < 5; i++)
        {
            await node.ProposeAsync(new SetCommand($"/during/{i}", false, "v", null, false), CancellationToken.None);
        }

        var lastWrite = node.AppliedIndex;
        var saved = saves.SavedAtOrAbove(lastWrite);
        metrics.SnapshotCaptureDuration.Count.Should().Be(capturesBefore, "the backup's capture is open: snapshots due meanwhile are refused");
        var nextBackup = store.CaptureSnapshotAsync(CancellationToken.None);
        backup.Write();

        // No write follows: the node's tick asks again, and the waiting backup lets it go first.
        (await saved.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeGreaterThanOrEqualTo(lastWrite);
        var second = await nextBackup.WaitAsync(TimeSpan.FromSeconds(30));
        second.Write();
        metrics.SnapshotCaptureDuration.Count.Should().BeGreaterThan(capturesBefore);
    }

    private ReplicatedNode Start(V2Store store, NodeMetrics metrics, ILogger logger) => ReplicatedNode.Start(
        store,
        new NodeOptions
        {
            DataDir = _dataDir,
            InitialCluster = new ClusterState(0xcdf818194e3a8c32, Id, [new ClusterMember(Id, "backup", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"])]),
            HeartbeatIntervalMilliseconds = 100,
            ElectionTimeoutMilliseconds = 1_000,
            SnapshotCount = 2,
            SnapshotCatchUpEntries = 1,
        },
        metrics,
        logger);

    /// <summary>The indexes of the "snapshot saved" log entries, as they come.</summary>
    private sealed class SnapshotSaves : ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<(ulong Index, TaskCompletionSource<ulong> Saved)> _waiting = [];
        private ulong _highest;

        /// <summary>Completes with the index of the first save at or above <paramref name="index"/> (at once if one was).</summary>
        public Task<ulong> SavedAtOrAbove(ulong index)
        {
            lock (_gate)
            {
                if (_highest >= index)
                {
                    return Task.FromResult(_highest);
                }

                var saved = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((index, saved));
                return saved.Task;
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 2004 || state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                return;
            }

            var index = (ulong)fields.First(field => field.Key == "Index").Value!;
            lock (_gate)
            {
                _highest = Math.Max(_highest, index);
                foreach (var (wanted, saved) in _waiting.Where(waiting => waiting.Index <= index))
                {
                    saved.TrySetResult(index);
                }

                _waiting.RemoveAll(waiting => waiting.Index <= index);
            }
        }
    }
}
