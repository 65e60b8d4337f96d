using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void Every_operation_is_counted_as_a_success_or_a_failure()
    {
        var clock = new ManualTimeProvider();
        var store = NewStore(clock);

        store.Set("/a", false, "1", null, false);
        Fails(() => store.Set("/", false, "1", null, false));
        store.Get("/a", false, false);
        Fails(() => store.Get("/missing", false, false));
        store.Create("/q", false, "x", true, null);
        Fails(() => store.Create("/a", false, "x", false, null));
        store.Update("/a", "2", null, false);
        Fails(() => store.Update("/missing", "2", null, false));
        store.CompareAndSwap("/a", "2", 0, "3", null, false);
        Fails(() => store.CompareAndSwap("/a", "nope", 0, "3", null, false));
        store.Set("/b", false, "1", null, false);
        store.CompareAndDelete("/b", "1", 0);
        Fails(() => store.CompareAndDelete("/a", "nope", 0));
        store.Delete("/a", false, false);
        Fails(() => store.Delete("/a", false, false));
        store.Set("/t", false, "1", clock.GetUtcNow().AddSeconds(1), false);
        store.DeleteExpiredKeys(clock.GetUtcNow().AddSeconds(1));
        using var w1 = store.Watch("/x", false, false, 0);
        using var w2 = store.Watch("/y", true, true, 0);

        var stats = store.GetStatistics();

        stats.Should().BeEquivalentTo(new Protocol.StoreStatistics
        {
            GetsSuccess = 1, GetsFail = 1,
            SetsSuccess = 3, SetsFail = 1,
            CreateSuccess = 1, CreateFail = 1,
            UpdateSuccess = 1, UpdateFail = 1,
            CompareAndSwapSuccess = 1, CompareAndSwapFail = 1,
            CompareAndDeleteSuccess = 1, CompareAndDeleteFail = 1,
            DeleteSuccess = 1, DeleteFail = 1,
            ExpireCount = 1,
            Watchers = 2,
        });
    }

    private static void Fails(Action act) => ShouldFail(act);
}
