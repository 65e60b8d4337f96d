using KvDirectory.Protocol;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

/// <summary>
/// Every write failure, against the same tree: /file = "v" (index 1), /dir/child = "c" (index 2),
/// /empty an empty directory (index 3). Each failure answers etcd's code and cause with index 3,
/// and leaves the store exactly as it was.
/// </summary>
public sealed class WriteErrorTests
{
    public static TheoryData<string, Action<V2Store>, int, string?> Failures => new()
    {
        { "Set on the root", s => s.Set("/", false, "v", null, false), 107, "/" },
        { "Set of a directory on the root", s => s.Set("/", true, "", null, false), 107, "/" },
        { "Set of a value onto an existing dir", s => s.Set("/dir", false, "v", null, false), 102, "/dir" },
        { "Set with dir onto an existing dir", s => s.Set("/empty", true, "", null, false), 102, "/empty" },
        { "Set below a file", s => s.Set("/file/x", false, "v", null, false), 104, "/file" },
        { "Set refresh of a missing key", s => s.Set("/nope/deeper", false, "", null, true), 100, "/nope" },
        { "Create on the root", s => s.Create("/", false, "v", false, null), 107, "/" },
        { "Create on an existing key", s => s.Create("/file", false, "v", false, null), 105, "/file" },
        { "Create on an existing dir", s => s.Create("/dir", true, "", false, null), 105, "/dir" },
        { "Create below a file", s => s.Create("/file/x/y", false, "v", false, null), 104, "/file" },
        { "Update of the root", s => s.Update("/", "v", null, false), 107, "/" },
        { "Update of a missing key", s => s.Update("/dir/missing", "v", null, false), 100, "/dir/missing" },
        { "Update of a dir with a value", s => s.Update("/dir", "v", null, false), 102, "/dir" },
        { "Update below a file", s => s.Update("/file/x", "v", null, false), 104, "/file" },
        { "CompareAndSwap of the root", s => s.CompareAndSwap("/", "v", 0, "w", null, false), 107, "/" },
        { "CompareAndSwap of a missing key", s => s.CompareAndSwap("/missing", "v", 0, "w", null, false), 100, "/missing" },
        { "CompareAndSwap of a dir", s => s.CompareAndSwap("/dir", "", 2, "w", null, false), 102, "/dir" },
        { "CompareAndSwap with a wrong value", s => s.CompareAndSwap("/file", "x", 0, "w", null, false), 101, "[x != v]" },
        { "CompareAndSwap with a wrong index", s => s.CompareAndSwap("/file", "", 7, "w", null, false), 101, "[7 != 1]" },
        { "CompareAndSwap with both wrong", s => s.CompareAndSwap("/file", "x", 7, "w", null, false), 101, "[x != v] [7 != 1]" },
        { "CompareAndSwap with a right value but wrong index", s => s.CompareAndSwap("/file", "v", 7, "w", null, false), 101, "[7 != 1]" },
        { "Delete of the root", s => s.Delete("/", true, true), 107, "/" },
        { "Delete of a missing key", s => s.Delete("/dir/missing", false, false), 100, "/dir/missing" },
        { "Delete of a dir without dir", s => s.Delete("/empty", false, false), 102, "/empty" },
        { "Delete of a non-empty dir with dir only", s => s.Delete("/dir", true, false), 108, "/dir" },
        { "CompareAndDelete of a missing key", s => s.CompareAndDelete("/missing", "v", 0), 100, "/missing" },
        { "CompareAndDelete of a dir", s => s.CompareAndDelete("/dir", "v", 0), 102, "/dir" },
        { "CompareAndDelete of the root", s => s.CompareAndDelete("/", "v", 0), 102, null },
        { "CompareAndDelete with a wrong value", s => s.CompareAndDelete("/file", "x", 0), 101, "[x != v]" },
        { "CompareAndDelete with a wrong index", s => s.CompareAndDelete("/file", "", 2), 101, "[2 != 1]" },
        { "CompareAndDelete with both wrong", s => s.CompareAndDelete("/file", "x", 2), 101, "[x != v] [2 != 1]" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failed_write_answers_etcds_code_and_cause_with_the_current_index_and_changes_nothing(
        string because, Action<V2Store> write, int code, string? cause)
    {
        var store = NewStore();
        store.Set("/file", false, "v", null, false);
        store.Set("/dir/child", false, "c", null, false);
        store.Set("/empty", true, "", null, false);
        var digest = store.ComputeDigest();

        var ex = ShouldFail(() => write(store));

        ex.ErrorCode.Should().Be(code, because);
        ex.Cause.Should().Be(cause, because);
        ex.Index.Should().Be(3, because);
        store.CurrentIndex.Should().Be(3, because);
        store.ComputeDigest().Should().Be(digest, because);
    }

    [Fact]
    public void A_failed_write_sends_nothing_to_watchers()
    {
        var store = NewStore();
        store.Set("/file", false, "v", null, false);
        using var watcher = store.Watch("/", true, true, 0);

        ShouldFail(() => store.Create("/file", false, "x", false, null));

        watcher.HasPendingEvent().Should().BeFalse();
    }
}
