using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class TtlTests
{
    private readonly ManualTimeProvider _clock = new();

    private DateTimeOffset In(double seconds) => _clock.GetUtcNow().AddSeconds(seconds);

    [Fact]
    public void A_key_with_an_expiration_shows_it_and_the_seconds_left_rounded_up()
    {
        var store = NewStore(_clock);
        var expireAt = In(10);

        var e = store.Set("/a", false, "1", expireAt, false);

        e.Node!.Expiration.Should().Be(expireAt);
        e.Node.Expiration!.Value.Offset.Should().Be(TimeSpan.Zero);
        e.Node.Ttl.Should().Be(10);

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        store.Get("/a", false, false).Node!.Ttl.Should().Be(10);
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        store.Get("/a", false, false).Node!.Ttl.Should().Be(9);
        _clock.Advance(TimeSpan.FromMilliseconds(8_500));
        store.Get("/a", false, false).Node!.Ttl.Should().Be(1);
    }

    [Fact]
    public void Permanent_nodes_have_neither_ttl_nor_expiration()
    {
        var store = NewStore(_clock);

        var node = store.Set("/a", false, "1", null, false).Node!;

        node.Ttl.Should().Be(0);
        node.Expiration.Should().BeNull();
    }

    [Fact]
    public void Expiration_times_before_2000_mean_permanent_as_in_etcd()
    {
        var store = NewStore(_clock);

        store.Set("/a", false, "1", DateTimeOffset.UnixEpoch, false).Node!.Expiration.Should().BeNull();
    }

    [Fact]
    public void Any_write_without_an_expiration_makes_the_key_permanent()
    {
        var store = NewStore(_clock);
        store.Set("/a", false, "1", In(5), false);
        store.Update("/a", "2", null, false);
        store.Set("/b", false, "1", In(5), false);
        store.CompareAndSwap("/b", "1", 0, "2", null, false);
        store.Set("/c", false, "1", In(5), false);
        store.Set("/c", false, "2", null, false);

        store.DeleteExpiredKeys(In(100));

        store.Get("/", false, true).Node!.Nodes!.Select(n => (n.Key, n.Ttl)).Should().Equal(("/a", 0L), ("/b", 0L), ("/c", 0L));
    }

    [Fact]
    public void Expired_keys_stay_readable_until_the_sweep()
    {
        var store = NewStore(_clock);
        store.Set("/a", false, "1", In(1), false);

        _clock.Advance(TimeSpan.FromSeconds(2));

        store.Get("/a", false, false).Node!.Value.Should().Be("1");
    }

    [Fact]
    public void The_sweep_expires_in_expiration_order_then_by_path_each_with_its_own_index()
    {
        var store = NewStore(_clock);
        store.Set("/late", false, "1", In(3), false);
        store.Set("/tie-b", false, "1", In(2), false);
        store.Set("/tie-a", false, "1", In(2), false);
        store.Set("/early", false, "1", In(1), false);
        store.Set("/never", false, "1", In(60), false);
        using var watcher = store.Watch("/", true, true, 0);

        store.DeleteExpiredKeys(In(3));

        var events = new List<EtcdEvent>();
        while (watcher.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        events.Select(e => (e.Action, e.Node!.Key, e.Node.ModifiedIndex)).Should().Equal(
            (EtcdActions.Expire, "/early", 6L),
            (EtcdActions.Expire, "/tie-a", 7L),
            (EtcdActions.Expire, "/tie-b", 8L),
            (EtcdActions.Expire, "/late", 9L));
        store.CurrentIndex.Should().Be(9);
        store.GetStatistics().ExpireCount.Should().Be(4);
        store.Get("/never", false, false).Node!.Value.Should().Be("1");
    }

    [Fact]
    public void An_expire_event_has_no_value_and_the_old_node_as_prevNode()
    {
        var store = NewStore(_clock);
        store.Set("/a", false, "1", In(1), false);
        using var watcher = store.Watch("/a", false, false, 0);

        store.DeleteExpiredKeys(In(1));

        watcher.Events.TryRead(out var e).Should().BeTrue();
        e!.Node.Should().BeEquivalentTo(new EtcdNode { Key = "/a", ModifiedIndex = 2, CreatedIndex = 1 });
        e.PrevNode!.Value.Should().Be("1");
        e.PrevNode.Expiration.Should().Be(In(1));
    }

    [Fact]
    public void An_expiring_directory_takes_its_children_and_their_timers_with_it()
    {
        var store = NewStore(_clock);
        store.Set("/d", true, "", In(1), false);
        store.Set("/d/child", false, "1", In(5), false);

        store.DeleteExpiredKeys(In(1));
        store.DeleteExpiredKeys(In(10));

        store.CurrentIndex.Should().Be(3);
        store.GetStatistics().ExpireCount.Should().Be(1);
        ShouldFail(() => store.Get("/d", false, false)).ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
    }

    [Fact]
    public void A_deleted_key_never_expires_later()
    {
        var store = NewStore(_clock);
        store.Set("/a", false, "1", In(1), false);
        store.Delete("/a", false, false);

        store.DeleteExpiredKeys(In(2));

        store.CurrentIndex.Should().Be(2);
    }

    [Fact]
    public void Refresh_keeps_the_value_sets_the_new_ttl_and_advances_the_index()
    {
        var store = NewStore(_clock);
        store.Set("/a", false, "keep", In(5), false);

        var set = store.Set("/a", false, "", In(50), true);
        var update = store.Update("/a", "", In(60), true);
        var cas = store.CompareAndSwap("/a", "keep", 0, "", In(70), true);

        set.Refresh.Should().BeTrue();
        set.Node!.Value.Should().Be("keep");
        set.Node.CreatedIndex.Should().Be(2, "a refresh without prevExist acts as a set");
        update.Refresh.Should().BeTrue();
        update.Node!.CreatedIndex.Should().Be(2);
        update.Node.Value.Should().Be("keep");
        cas.Refresh.Should().BeTrue();
        cas.Node!.Ttl.Should().Be(70);
        store.CurrentIndex.Should().Be(4);

        store.DeleteExpiredKeys(In(69));
        store.Get("/a", false, false).Node!.Value.Should().Be("keep");
    }

    [Fact]
    public void Refresh_events_never_reach_watchers_live_or_from_history()
    {
        var store = NewStore(_clock);
        store.Set("/a", false, "1", In(5), false);
        using var live = store.Watch("/a", false, true, 0);

        store.Set("/a", false, "", In(10), true);
        store.Update("/a", "", In(10), true);
        store.CompareAndSwap("/a", "", 0, "", In(10), true);

        live.HasPendingEvent().Should().BeFalse();
        using var fromHistory = store.Watch("/a", false, false, 2);
        fromHistory.HasPendingEvent().Should().BeFalse();

        store.Set("/a", false, "2", null, false);
        live.Events.TryRead(out var e).Should().BeTrue();
        e!.Node!.ModifiedIndex.Should().Be(5);
    }
}
