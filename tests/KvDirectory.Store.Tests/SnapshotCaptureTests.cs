using KvDirectory.Protocol;
using Xunit.Abstractions;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

/// <summary>
/// <see cref="V2Store.CaptureSnapshot"/>: an O(1) capture on the applier thread, written later (on another thread)
/// while writes go on, must give exactly the bytes a <see cref="V2Store.SaveSnapshot"/> at the capture would have.
/// </summary>
public sealed class SnapshotCaptureTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = ManualTimeProvider.DefaultStart;

    [Fact]
    public void A_capture_written_after_every_kind_of_change_holds_the_tree_as_captured()
    {
        var clock = new ManualTimeProvider();
        var store = NewStore(clock);
        store.Set("/a", false, "1", null, false);
        store.Set("/d/x", false, "2", Start.AddSeconds(5), false);
        store.Set("/d/y", false, "3", null, false);
        store.Set("/e/f/g", false, "4", null, false);
        store.Set("/ttl", true, "", Start.AddSeconds(100), false);
        var expected = store.SaveSnapshot();

        var capture = store.CaptureSnapshot();
        store.Set("/a", false, "changed", Start.AddSeconds(50), false);
        store.Update("/d/y", "3b", null, false);
        store.CompareAndSwap("/d/y", "3b", 0, "3c", null, false);
        store.Create("/d", false, "job", true, null);
        store.Delete("/e", true, true);
        store.Set("/new/deep/key", false, "5", null, false);
        store.Update("/ttl", "", Start.AddSeconds(200), refresh: true);
        clock.Advance(TimeSpan.FromSeconds(6));
        store.DeleteExpiredKeys(clock.GetUtcNow());
        store.CompareAndDelete("/new/deep/key", "5", 0);

        capture.CurrentIndex.Should().Be(5);
        var written = capture.Write();
        written.Should().Equal(expected);
        var restored = NewStore(clock);
        restored.RestoreSnapshot(written);
        restored.Get("/e/f/g", false, false).Node!.Value.Should().Be("4");
        restored.Get("/a", false, false).Node!.Value.Should().Be("1");
    }

    [Fact]
    public void After_the_capture_is_written_the_store_and_the_next_capture_see_the_new_tree()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);
        var first = store.CaptureSnapshot();
        store.Set("/a", false, "2", null, false);
        first.Write();

        store.Set("/b", false, "3", null, false);
        var expected = store.SaveSnapshot();
        var second = store.CaptureSnapshot();
        store.Delete("/a", false, false);

        second.Write().Should().Equal(expected);
        store.Invoking(s => s.Get("/a", false, false)).Should().Throw<EtcdException>().Which.ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
    }

    [Fact]
    public void A_second_capture_waits_for_the_first_to_be_written_and_a_capture_is_written_once()
    {
        var store = NewStore();
        var capture = store.CaptureSnapshot();

        store.Invoking(s => s.CaptureSnapshot()).Should().Throw<InvalidOperationException>();
        store.Invoking(s => s.RestoreSnapshot(s.SaveSnapshot())).Should().Throw<InvalidOperationException>();
        capture.Write();
        capture.Invoking(c => c.Write()).Should().Throw<InvalidOperationException>();
        store.CaptureSnapshot().Write().Should().Equal(store.SaveSnapshot());
    }

    [Fact]
    public async Task Writes_racing_a_background_write_never_leak_into_it()
    {
        // Seeded: a failure prints the seed; the race itself is not deterministic, the check is exact every time.
        for (var seed = 1; seed <= 20; seed++)
        {
            output.WriteLine($"seed {seed}");
            var random = new Random(seed);
            var store = NewStore();
            for (var i = 0; i < 5_000; i++)
            {
                store.Set($"/dir{random.Next(20)}/key{random.Next(2_000)}", false, $"v{i}", null, false);
            }

            var expected = store.SaveSnapshot();
            var capture = store.CaptureSnapshot();
            var writer = Task.Run(capture.Write);
            var changes = 0;
            while (!writer.IsCompleted || changes < 1_000)
            {
                var path = $"/dir{random.Next(22)}/key{random.Next(2_000)}";
                try
                {
                    switch (random.Next(4))
                    {
                        case 0:
                            store.Delete(path, false, false);
                            break;
                        case 1:
                            store.Delete($"/dir{random.Next(22)}", true, true);
                            break;
                        default:
                            store.Set(path, false, $"after{changes}", null, false);
                            break;
                    }
                }
                catch (EtcdException)
                {
                    // A key or directory already gone: the random walk goes on.
                }

                changes++;
            }

            (await writer).Should().Equal(expected, $"seed {seed}: the capture must hold the tree as captured");
        }
    }
}
