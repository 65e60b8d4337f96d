using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Tests;

public sealed class ClusterIdentityTests
{
    [Fact]
    public void Member_and_cluster_ids_equal_the_ones_real_etcd_derives_from_the_same_flags()
    {
        // Read off etcd 3.4.23 started with --initial-cluster default=http://127.0.0.1:23800 and the default token.
        var member = MemberId.Compute(["http://127.0.0.1:23800"], "etcd-cluster");

        MemberId.Format(member).Should().Be("2e1259d415f2a040");
        MemberId.Format(MemberId.ComputeClusterId([member])).Should().Be("48276a8f75b6a87");
    }
}
