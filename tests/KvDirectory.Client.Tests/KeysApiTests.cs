using KvDirectory.Protocol;

namespace KvDirectory.Client.Tests;

/// <summary>Every keys operation through the typed API against a live server: results, and errors as typed exceptions.</summary>
public sealed class KeysApiTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private readonly string _p = SingleNodeFixture.UniquePrefix();

    [Fact]
    public async Task Set_get_update_and_compare_and_swap_return_typed_events_with_indexes()
    {
        using var client = fixture.NewClient();
        var set = await client.Keys.SetAsync(_p + "/a", "1");
        set.Action.Should().Be("set");
        set.Node!.Value.Should().Be("1");
        set.EtcdIndex.Should().Be(set.Node.ModifiedIndex);

        var got = await client.Keys.GetAsync(_p + "/a");
        got.Action.Should().Be("get");
        got.Node!.ModifiedIndex.Should().Be(set.Node.ModifiedIndex);

        var updated = await client.Keys.SetAsync(_p + "/a", "2", new SetOptions { PrevExist = PrevExistCondition.MustExist });
        updated.Action.Should().Be("update");
        updated.PrevNode!.Value.Should().Be("1");

        var swapped = await client.Keys.SetAsync(_p + "/a", "3", new SetOptions { PrevValue = "2", PrevIndex = updated.Node!.ModifiedIndex });
        swapped.Action.Should().Be("compareAndSwap");

        var created = await client.Keys.SetAsync(_p + "/b", "x", new SetOptions { PrevExist = PrevExistCondition.MustNotExist });
        created.Action.Should().Be("create");

        var deleted = await client.Keys.DeleteAsync(_p + "/a", new DeleteOptions { PrevValue = "3" });
        deleted.Action.Should().Be("compareAndDelete");
        deleted.PrevNode!.Value.Should().Be("3");
    }

    [Fact]
    public async Task Directories_ttl_refresh_and_in_order_keys()
    {
        using var client = fixture.NewClient();
        (await client.Keys.SetAsync(_p + "/d", "", new SetOptions { Dir = true })).Node!.Dir.Should().BeTrue();
        var first = await client.Keys.CreateInOrderAsync(_p + "/q", "one");
        var second = await client.Keys.CreateInOrderAsync(_p + "/q", "two");
        first.Action.Should().Be("create");
        string.CompareOrdinal(first.Node!.Key, second.Node!.Key).Should().BeNegative("in-order keys sort by creation");

        var listing = await client.Keys.GetAsync(_p + "/q", new GetOptions { Recursive = true, Sorted = true });
        listing.Node!.Nodes!.Select(n => n.Value).Should().Equal("one", "two");

        var leased = await client.Keys.SetAsync(_p + "/ttl", "v", new SetOptions { Ttl = TimeSpan.FromSeconds(30) });
        leased.Node!.Ttl.Should().BeInRange(29, 30);
        leased.Node.Expiration.Should().NotBeNull();
        var refreshed = await client.Keys.SetAsync(_p + "/ttl", "", new SetOptions { Ttl = TimeSpan.FromSeconds(60), Refresh = true, PrevExist = PrevExistCondition.MustExist });
        refreshed.Node!.Value.Should().Be("v", "a refresh keeps the value");
        refreshed.Node.Ttl.Should().BeInRange(59, 60);

        var removed = await client.Keys.DeleteAsync(_p + "/q", new DeleteOptions { Dir = true, Recursive = true });
        removed.Action.Should().Be("delete");
    }

    public static TheoryData<string, int> Errors => new()
    {
        { "get missing", EtcdErrorCode.KeyNotFound },
        { "cas wrong value", EtcdErrorCode.TestFailed },
        { "cas wrong index", EtcdErrorCode.TestFailed },
        { "cad wrong value", EtcdErrorCode.TestFailed },
        { "set value on dir", EtcdErrorCode.NotFile },
        { "key under a file", EtcdErrorCode.NotDir },
        { "create existing", EtcdErrorCode.NodeExist },
        { "update missing", EtcdErrorCode.KeyNotFound },
        { "write root", EtcdErrorCode.RootReadOnly },
        { "delete non-empty dir", EtcdErrorCode.DirNotEmpty },
        { "refresh without ttl", EtcdErrorCode.RefreshTtlRequired },
        { "refresh with value", EtcdErrorCode.RefreshValue },
        { "watch cleared index", EtcdErrorCode.EventIndexCleared },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Errors_are_typed_exceptions_with_code_cause_and_index(string what, int code)
    {
        using var client = fixture.NewClient();
        var file = (await client.Keys.SetAsync(_p + "/file", "v")).Node!;
        await client.Keys.SetAsync(_p + "/dir/child", "c");
        var keys = client.Keys;
        Func<Task> act = what switch
        {
            "get missing" => () => keys.GetAsync(_p + "/missing"),
            "cas wrong value" => () => keys.SetAsync(_p + "/file", "n", new SetOptions { PrevValue = "other" }),
            "cas wrong index" => () => keys.SetAsync(_p + "/file", "n", new SetOptions { PrevIndex = file.ModifiedIndex + 1000 }),
            "cad wrong value" => () => keys.DeleteAsync(_p + "/file", new DeleteOptions { PrevValue = "other" }),
            "set value on dir" => () => keys.SetAsync(_p + "/dir", "v"),
            "key under a file" => () => keys.SetAsync(_p + "/file/x", "v"),
            "create existing" => () => keys.SetAsync(_p + "/file", "v", new SetOptions { PrevExist = PrevExistCondition.MustNotExist }),
            "update missing" => () => keys.SetAsync(_p + "/nope", "v", new SetOptions { PrevExist = PrevExistCondition.MustExist }),
            "write root" => () => keys.SetAsync("/", "v"),
            "delete non-empty dir" => () => keys.DeleteAsync(_p + "/dir", new DeleteOptions { Dir = true }),
            "refresh without ttl" => () => keys.SetAsync(_p + "/file", "", new SetOptions { Refresh = true }),
            "refresh with value" => () => keys.SetAsync(_p + "/file", "v", new SetOptions { Refresh = true, Ttl = TimeSpan.FromSeconds(5) }),
            "watch cleared index" => () => EnumerateOneAsync(keys.WatchAsync(_p + "/file", new WatchOptions { AfterIndex = 1 })),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        if (what == "watch cleared index")
        {
            await ClearHistoryAsync(keys, _p + "/file");
        }

        var error = (await act.Should().ThrowAsync<EtcdException>()).Which;
        error.ErrorCode.Should().Be(code, what);
        if (code is < 200 or >= 400)
        {
            error.Index.Should().BeGreaterThan(0, "store errors carry the index at the time of the error");
        }
        error.HttpStatus.Should().Be(EtcdErrorTable.HttpStatusFor(code));
        if (code is EtcdErrorCode.KeyNotFound or EtcdErrorCode.TestFailed or EtcdErrorCode.NodeExist)
        {
            error.Cause.Should().NotBeNullOrEmpty();
        }
    }

    /// <summary>More writes to <paramref name="key"/> than the server's event history holds: older indexes of it are cleared.</summary>
    internal static async Task ClearHistoryAsync(KeysApi keys, string key)
    {
        for (var i = 0; i < SingleNodeFixture.EventHistory + 10; i++)
        {
            await keys.SetAsync(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static async Task EnumerateOneAsync(IAsyncEnumerable<EtcdEvent> events)
    {
        await foreach (var _ in events)
        {
            return;
        }
    }
}
