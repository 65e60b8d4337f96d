using KvDirectory.Protocol;
using Xunit.Abstractions;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

/// <summary>
/// Against a trivial model (key → expiration), random sets, TTL changes and deletes followed by
/// sweeps must expire exactly the due keys, earliest first and by path on ties.
/// </summary>
public sealed class ExpiryOrderPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void Sweeps_expire_exactly_the_due_keys_in_expiration_then_path_order()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var clock = new ManualTimeProvider();
        var start = clock.GetUtcNow();
        var store = NewStore(clock, watcherBuffer: 100_000);
        using var watcher = store.Watch("/", true, true, 0);
        var model = new Dictionary<string, DateTimeOffset?>();
        var now = start;

        for (var step = 0; step < 3_000; step++)
        {
            var key = $"/k{random.Next(60):D2}";
            DateTimeOffset? expire = random.Next(4) == 0 ? null : now.AddSeconds(random.Next(1, 20));
            switch (random.Next(5))
            {
                case 0 or 1:
                    store.Set(key, false, "v", expire, false);
                    model[key] = expire;
                    break;
                case 2 when model.ContainsKey(key):
                    store.Update(key, "u", expire, false);
                    model[key] = expire;
                    break;
                case 3 when model.ContainsKey(key):
                    store.Delete(key, false, false);
                    model.Remove(key);
                    break;
                default:
                    now = now.AddSeconds(random.Next(0, 4));
                    var due = model.Where(kv => kv.Value <= now)
                        .OrderBy(kv => kv.Value!.Value.UtcTicks).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => kv.Key).ToList();
                    DrainNonExpire(watcher);

                    store.DeleteExpiredKeys(now);

                    var expired = new List<string>();
                    while (watcher.Events.TryRead(out var e))
                    {
                        e.Action.Should().Be(EtcdActions.Expire);
                        expired.Add(e.Node!.Key!);
                    }

                    expired.Should().Equal(due, $"seed {seed}, step {step}");
                    due.ForEach(k => model.Remove(k));
                    break;
            }
        }
    }

    private static void DrainNonExpire(Watcher watcher)
    {
        while (watcher.Events.TryRead(out var e))
        {
            e.Action.Should().NotBe(EtcdActions.Expire);
        }
    }
}
