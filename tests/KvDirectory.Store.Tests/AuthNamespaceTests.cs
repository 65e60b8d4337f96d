using KvDirectory.Protocol;

namespace KvDirectory.Store.Tests;

/// <summary>
/// The auth namespace (etcd's <c>/2</c>): written by commands like the keys, counted in the same etcd index, carried by
/// snapshots and digests — and never visible through keys reads, listings or watches.
/// </summary>
public sealed class AuthNamespaceTests
{
    [Fact]
    public void The_first_auth_write_makes_the_namespace_first_one_index_each_as_etcd()
    {
        var store = StoreTestKit.NewStore();
        store.Apply(new SetCommand("/k", false, "v", null, false));

        var e = store.Apply(new AuthPutCommand("/users/root", "{\"user\":\"root\"}", PrevExist: false))!;

        // /2, /2/users, /2/roles and /2/enabled first, then the user.
        e.EtcdIndex.Should().Be(6);
        store.CurrentIndex.Should().Be(6);
        store.Apply(new AuthPutCommand("/users/alice", "{}", PrevExist: false))!.EtcdIndex.Should().Be(7);
        var auth = store.ReadAuth();
        auth.Enabled.Should().Be("false");
        auth.Users.Keys.Should().BeEquivalentTo(["root", "alice"]);
        auth.ChangedIndex.Should().Be(7);
    }

    [Fact]
    public void Create_replace_and_delete_fail_as_etcd_store_requests_do()
    {
        var store = StoreTestKit.NewStore();
        store.Apply(new AuthPutCommand("/roles/r", "1", PrevExist: false));

        StoreTestKit.ShouldFail(() => store.Apply(new AuthPutCommand("/roles/r", "2", PrevExist: false))).ErrorCode.Should().Be(EtcdErrorCode.NodeExist);
        StoreTestKit.ShouldFail(() => store.Apply(new AuthPutCommand("/roles/x", "2", PrevExist: true))).ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
        StoreTestKit.ShouldFail(() => store.Apply(new AuthDeleteCommand("/users/none"))).ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
        store.Apply(new AuthPutCommand("/roles/r", "2", PrevExist: true));
        store.ReadAuth().Roles["r"].Should().Be("2");
        store.Apply(new AuthDeleteCommand("/roles/r"));
        store.ReadAuth().Roles.Should().BeEmpty();
        StoreTestKit.ShouldFail(() => store.Apply(new AuthPutCommand("/../../users", "x", PrevExist: true))).ErrorCode.Should().Be(EtcdErrorCode.NotFile, "a resource cannot climb out of the namespace");
    }

    [Fact]
    public async Task Keys_reads_listings_and_watches_never_see_it()
    {
        var store = StoreTestKit.NewStore();
        using var live = store.Watch("/", recursive: true, stream: true, sinceIndex: 0);
        store.Apply(new AuthPutCommand("/users/root", "{\"password\":\"hash\"}", PrevExist: false));
        store.Apply(new SetCommand("/visible", false, "v", null, false));

        store.Get("/", recursive: true, sorted: true).Node!.Nodes!.Select(n => n.Key).Should().Equal("/visible");
        StoreTestKit.ShouldFail(() => store.Get("/2/users/root", false, false)).ErrorCode.Should().Be(EtcdErrorCode.KeyNotFound);
        (await live.NextAsync()).Node!.Key.Should().Be("/visible", "the live watcher skips the auth writes");
        using var fromHistory = store.Watch("/", recursive: true, stream: false, sinceIndex: 1);
        (await fromHistory.NextAsync()).Node!.Key.Should().Be("/visible", "history holds the auth writes but never delivers them");
    }

    [Fact]
    public void Snapshots_and_digests_carry_it_and_stay_byte_identical_without_it()
    {
        var plain = StoreTestKit.NewStore();
        plain.Apply(new SetCommand("/k", false, "v", null, false));
        var plainBytes = plain.SaveSnapshot();
        plainBytes[0].Should().Be(1, "a store without auth keeps the first snapshot format");

        var withAuth = StoreTestKit.NewStore();
        withAuth.Apply(new SetCommand("/k", false, "v", null, false));
        var digestBefore = withAuth.ComputeDigest();
        withAuth.Apply(new AuthPutCommand("/enabled", "true", PrevExist: true));
        withAuth.ComputeDigest().Should().NotBe(digestBefore);

        var restored = StoreTestKit.NewStore();
        restored.RestoreSnapshot(withAuth.SaveSnapshot());
        restored.ReadAuth().Should().BeEquivalentTo(withAuth.ReadAuth());
        restored.ReadAuth().Enabled.Should().Be("true");
        restored.ComputeDigest().Should().Be(withAuth.ComputeDigest());

        var fromPlain = StoreTestKit.NewStore();
        fromPlain.RestoreSnapshot(plainBytes);
        fromPlain.ReadAuth().Users.Should().BeEmpty();
    }

    [Fact]
    public void The_commands_round_trip_through_the_log_codec()
    {
        StoreCommand[] commands = [new AuthPutCommand("/users/a", "{\"user\":\"a\"}", true), new AuthDeleteCommand("/roles/b")];
        foreach (var command in commands)
        {
            StoreCommandCodec.Decode(StoreCommandCodec.Encode(command)).Should().Be(command);
        }
    }
}
