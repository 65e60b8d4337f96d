using KvDirectory.Raft;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Snapshots;
using KvDirectory.Store;

namespace KvDirectory.Node.Tests;

public sealed class MembershipEncodingTests
{
    private static readonly ClusterState Members = new(0xfeedface12345678, 0x2, [
        new ClusterMember(0x1, "infra-é", ["http://10.0.0.1:2380", "http://[::1]:2380"], ["http://10.0.0.1:2379"]),
        new ClusterMember(0xba0f263d096c65e, string.Empty, ["http://10.0.0.2:2380"], []),
    ])
    { RemovedIds = new HashSet<ulong> { 0x99, 0x7 } };

    [Fact]
    public void A_change_travels_in_a_conf_change_and_comes_back_whole()
    {
        var change = new MembershipChange(MembershipChangeKind.Update, 0xba0f263d096c65e, ["http://a:1", "http://b:2"], "n2", RequestId: 42);

        var confChange = ConfChange.Decode(change.ToConfChange().Encode());

        confChange.Type.Should().Be(ConfChangeType.UpdateNode);
        confChange.NodeId.Should().Be(0xba0f263d096c65e);
        MembershipChange.FromConfChange(confChange).Should().BeEquivalentTo(change);
    }

    [Theory]
    [InlineData(MembershipChangeKind.Add, ConfChangeType.AddNode)]
    [InlineData(MembershipChangeKind.Remove, ConfChangeType.RemoveNode)]
    [InlineData(MembershipChangeKind.Update, ConfChangeType.UpdateNode)]
    public void Each_kind_maps_to_its_raft_change(MembershipChangeKind kind, ConfChangeType expected) =>
        new MembershipChange(kind, 5, []).ToConfChange().Type.Should().Be(expected);

    [Fact]
    public void A_bare_raft_change_carries_no_member_record_and_a_damaged_one_is_refused()
    {
        MembershipChange.FromConfChange(new ConfChange(ConfChangeType.AddNode, 1)).Should().BeNull();
        var damaged = new ConfChange(ConfChangeType.AddNode, 1, new byte[] { 9, 9, 9 });
        ((Action)(() => MembershipChange.FromConfChange(damaged))).Should().Throw<FormatException>();
        var truncated = new MembershipChange(MembershipChangeKind.Add, 1, ["http://a:1"]).Encode()[..^3];
        ((Action)(() => MembershipChange.FromConfChange(new ConfChange(ConfChangeType.AddNode, 1, truncated)))).Should().Throw<FormatException>();
    }

    [Fact]
    public void A_member_list_round_trips_with_the_readers_own_local_id()
    {
        var decoded = ClusterStateCodec.Decode(ClusterStateCodec.Encode(Members), localMemberId: 0x1);

        decoded.ClusterId.Should().Be(Members.ClusterId);
        decoded.LocalMemberId.Should().Be(0x1UL);
        decoded.Members.Should().BeEquivalentTo(Members.Members, o => o.WithStrictOrdering());
        decoded.RemovedIds.Should().BeEquivalentTo(Members.RemovedIds);
    }

    [Fact]
    public void Every_truncation_of_a_member_list_is_a_format_error_not_a_crash()
    {
        var bytes = ClusterStateCodec.Encode(Members);
        for (var length = 0; length < bytes.Length; length++)
        {
            var cut = bytes[..length];
            ((Action)(() => ClusterStateCodec.Decode(cut, 1))).Should().Throw<FormatException>($"cut at {length}");
        }
    }

    [Fact]
    public void A_capture_written_behind_the_header_gives_the_bytes_of_the_store_snapshot_behind_it()
    {
        var store = new V2Store(new StoreOptions(), TimeProvider.System);
        for (var i = 0; i < 5_000; i++)
        {
            store.Set($"/dir{i % 7}/key{i}", dir: false, new string('v', i % 300), expireTime: null, refresh: false);
        }

        ClusterSnapshotFormat.Write(Members, store.TryCaptureSnapshot()!).Should().Equal(ClusterSnapshotFormat.Write(Members, store.SaveSnapshot()));
    }

    [Fact]
    public void Snapshot_data_holds_the_member_list_before_the_store_and_a_store_only_snapshot_still_reads()
    {
        byte[] store = [1, 2, 3, 4, 5];

        var (members, storeBytes) = ClusterSnapshotFormat.Read(ClusterSnapshotFormat.Write(Members, store), 0x2);
        members!.Members.Should().HaveCount(2);
        storeBytes.ToArray().Should().Equal(store);

        var (none, whole) = ClusterSnapshotFormat.Read(store, 0x2);
        none.Should().BeNull("a backup seeded by --restore-from holds the store alone");
        whole.ToArray().Should().Equal(store);
    }
}
