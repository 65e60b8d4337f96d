using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Raft;
using KvDirectory.Storage;
using KvDirectory.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Node.Tests;

/// <summary>
/// A member added at runtime that is stopped before the leader sent it anything holds no record of its cluster's
/// members: its data dir has only its identity (and perhaps a term it heard). On a restart it must ask the running
/// members again, as on its first start — otherwise it can neither dial a peer nor accept one (found by nemesis seed
/// 126: the member killed right after joining never came back), and with nothing but the identity it must not
/// bootstrap a cluster of its own from the flags.
/// </summary>
public sealed class JoinedMemberRestartTests : IDisposable
{
    private const ulong ClusterId = 0xf273d08accbb3d8a;
    private const ulong Joined = 0x53409bc6fe83fdff;

    // The flags derive an id from the name and peer URL; a member added at runtime got another one from the cluster.
    private static readonly ClusterState FromFlags = new(0x1111, 0xbb91926054364a, [
        new ClusterMember(0xaaaa, "a", ["http://127.0.0.1:1001"], []),
        new ClusterMember(0xbb91926054364a, "e", ["http://127.0.0.1:1005"], ["http://127.0.0.1:2005"]),
    ]);

    private static readonly ClusterState FromPeers = new(ClusterId, Joined, [
        new ClusterMember(0x561a379ce23c3a1f, "a", ["http://127.0.0.1:1001"], ["http://127.0.0.1:2001"]),
        new ClusterMember(0x41a6d649b63f53e, "b", ["http://127.0.0.1:1002"], ["http://127.0.0.1:2002"]),
        new ClusterMember(Joined, "e", ["http://127.0.0.1:1005"], ["http://127.0.0.1:2005"]),
    ]);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("kvdir-joined-restart-").FullName;
    private int _asked;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public void A_member_stopped_before_it_heard_anything_asks_the_peers_again_and_keeps_the_id_it_was_given()
    {
        SeedDataDir(hardState: null);

        var (identity, members, lastIndex) = Open();

        _asked.Should().Be(1);
        identity.MemberId.Should().Be(Joined, "the id the cluster gave it, not the one the flags derive");
        members.Members.Select(m => m.Id).Should().BeEquivalentTo(FromPeers.Members.Select(m => m.Id));
        lastIndex.Should().Be(0UL, "a joining member's log comes from the leader: nothing is bootstrapped from the flags");
    }

    [Fact]
    public void A_member_stopped_after_it_heard_a_term_but_before_any_entry_asks_the_peers_again()
    {
        SeedDataDir(new HardState(Term: 3, Vote: 0, Commit: 0));

        var (identity, members, lastIndex) = Open();

        _asked.Should().Be(1);
        identity.MemberId.Should().Be(Joined);
        members.Members.Select(m => m.Id).Should().BeEquivalentTo(FromPeers.Members.Select(m => m.Id),
            "without them the restarted member dials nobody and turns every peer away");
        lastIndex.Should().Be(0UL);
    }

    [Fact]
    public void A_member_whose_log_names_its_members_restarts_without_asking_anyone()
    {
        var conf = new MembershipChange(MembershipChangeKind.Add, Joined, ["http://127.0.0.1:1005"], "e").ToConfChange();
        SeedDataDir(new HardState(Term: 2, Vote: 0, Commit: 1), new Entry(2, 1, EntryType.ConfChange, conf.Encode()));

        var (identity, _, lastIndex) = Open();

        _asked.Should().Be(0, "a restart normally needs nobody: the whole cluster may be restarting at once");
        identity.MemberId.Should().Be(Joined);
        lastIndex.Should().Be(1UL);
    }

    private void SeedDataDir(HardState? hardState, params Entry[] entries)
    {
        using var storage = DurableRaftStorage.Open(_dataDir, logger: NullLogger.Instance);
        storage.SaveMetadata(new MemberIdentity(Joined, ClusterId).Encode());
        if (hardState is not null || entries.Length > 0)
        {
            storage.Append(hardState, entries);
        }
    }

    private (MemberIdentity Identity, ClusterState Members, ulong LastIndex) Open()
    {
        var holder = new ClusterStateHolder(FromFlags);
        var options = new NodeOptions
        {
            DataDir = _dataDir,
            InitialCluster = FromFlags,
            JoinExisting = true,
            MembersFromPeers = () =>
            {
                _asked++;
                return FromPeers;
            },
        };
        MemberIdentity identity;
        using (var node = NodeOpener.Open(new V2Store(new StoreOptions(), TimeProvider.System), options, holder, new NodeMetrics(), NullLogger.Instance))
        {
            identity = node.Identity;
        }

        using var reopened = DurableRaftStorage.Open(_dataDir, logger: NullLogger.Instance);
        return (identity, holder.Current, reopened.LastIndex());
    }
}
