using System.Buffers;
using System.Text;
using System.Text.Json;
using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

/// <summary>
/// <see cref="V2Store.WriteGet"/> (what the server answers a GET with) writes, byte for byte, what serialising
/// <see cref="V2Store.Get"/>'s event writes: the records' JSON is the shape the differential suite holds against etcd.
/// </summary>
public sealed class GetJsonTests
{
    public static TheoryData<string, bool, bool> Reads()
    {
        var reads = new TheoryData<string, bool, bool>();
        foreach (var path in new[] { "/", "/dir", "/dir/sub", "/dir/empty", "/dir/only-hidden", "/key", "/dir/ttl", "/dir/sub/\"quoted\"", "/dir/", "dir" })
        {
            foreach (var recursive in new[] { false, true })
            {
                foreach (var sorted in new[] { false, true })
                {
                    reads.Add(path, recursive, sorted);
                }
            }
        }

        return reads;
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public void Writing_a_get_gives_the_bytes_of_its_serialised_event(string path, bool recursive, bool sorted)
    {
        var (store, _) = Tree();

        var expected = SerialisedEvent(store.Get(path, recursive, sorted));
        var (written, index) = WrittenGet(store, path, recursive, sorted);

        written.Should().Be(expected);
        index.Should().Be(store.CurrentIndex);
    }

    [Fact]
    public void Keys_and_values_are_escaped_as_go_escapes_them()
    {
        var (store, _) = Tree();

        var (written, _) = WrittenGet(store, "/dir/sub", recursive: false, sorted: true);

        written.Should().Contain(@"""key"":""/dir/sub/\""quoted\""""");
        written.Should().Contain(@"""value"":""\u003cb\u003e \u0026 \\ \n \u0001 \u2028 é 🙂 \ufffd""");
    }

    [Fact]
    public void A_missing_key_fails_as_get_does_and_writes_nothing()
    {
        var (store, _) = Tree();
        var buffer = new ArrayBufferWriter<byte>();

        var error = ShouldFail(() => store.WriteGet("/dir/nope", recursive: true, sorted: false, buffer));

        error.ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
        error.Cause.Should().Be("/dir/nope");
        buffer.WrittenCount.Should().Be(0);
        store.GetStatistics().GetsFail.Should().Be(1);
    }

    [Fact]
    public void An_expiring_key_shows_its_expiration_and_the_seconds_left_rounded_up()
    {
        var (store, clock) = Tree();
        clock.Advance(TimeSpan.FromSeconds(1.5));

        var (written, _) = WrittenGet(store, "/dir/ttl", recursive: false, sorted: false);

        written.Should().Contain(@"""expiration"":""2026-01-01T00:00:10.25Z"",""ttl"":9,");
        written.Should().Be(SerialisedEvent(store.Get("/dir/ttl", false, false)));
    }

    /// <summary>Files, nested and empty directories, hidden keys, TTLs (one past its time, not yet swept) and odd characters.</summary>
    private static (V2Store Store, ManualTimeProvider Clock) Tree()
    {
        var clock = new ManualTimeProvider();
        var store = NewStore(clock);
        var now = clock.GetUtcNow();
        store.Set("/key", false, "", null, false);
        store.Set("/dir/b", false, "2", null, false);
        store.Set("/dir/a", false, "1", null, false);
        store.Set("/dir/_hidden", false, "h", null, false);
        store.Set("/dir/empty", true, "", null, false);
        store.Set("/dir/only-hidden/_h", false, "h", null, false);
        store.Set("/dir/ttl", false, "t", now.AddSeconds(10.25), false);
        store.Set("/dir/gone", false, "g", now.AddSeconds(1), false);
        store.Set("/dir/sub/z", false, "z", null, false);
        store.Set("/dir/sub/\"quoted\"", false, "<b> & \\ \n \u0001 \u2028 é 🙂 \ud800", null, false);
        store.Set("/dir/sub/deeper", true, "", now.AddSeconds(30), false);
        store.Set("/dir/sub/deeper/leaf", false, "l", null, false);
        store.Set("/_hidden/x", false, "x", null, false);
        return (store, clock);
    }
}
