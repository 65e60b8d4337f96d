using KvDirectory.Node.Membership;
using KvDirectory.Transport;

namespace KvDirectory.Node.Tests;

public sealed class MemberListTests
{
    private const ulong IdA = 0xa;
    private const ulong IdB = 0xb;

    [Fact]
    public void A_peers_announced_client_urls_survive_a_membership_change_that_rebuilt_the_list()
    {
        var holder = new ClusterStateHolder(new ClusterState(0xc1, IdB, []));
        var handshakes = new HandshakeAttributes(holder);
        var members = new MemberList(holder, handshakes, new ClusterMember(IdB, "b", ["http://127.0.0.1:2"], ["http://client-b:2379"]));
        var both = new ClusterState(0xc1, IdB, [
            new ClusterMember(IdA, string.Empty, ["http://127.0.0.1:1"], []),
            new ClusterMember(IdB, "b", ["http://127.0.0.1:2"], []),
        ]);
        members.Restore(both, joinHint: null);
        handshakes.Learn(new PeerHandshake(IdA, 0xc1, "a", ["http://client-a:2379"]));

        // The log is replayed: A is briefly missing, then comes back as the log knows it (no name, no client URLs).
        members.Replace(both with { Members = [.. both.Members.Where(m => m.Id != IdA)] });
        members.Replace(both);

        holder.Current.Find(IdA).Should().BeEquivalentTo(new ClusterMember(IdA, "a", ["http://127.0.0.1:1"], ["http://client-a:2379"]),
            "A's connection is still up and will not announce itself again");
        holder.Current.Find(IdB)!.ClientUrls.Should().Equal("http://client-b:2379");
    }
}
