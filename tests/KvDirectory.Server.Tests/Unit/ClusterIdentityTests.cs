using KvDirectory.Server.Cluster;
using KvDirectory.Server.Http;

namespace KvDirectory.Server.Tests.Unit;

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

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(150_000_000L, "150ms")]
    [InlineData(62_500_000_000L, "1m2.5s")]
    [InlineData(3_723_000_000_000L, "1h2m3s")]
    public void Durations_print_as_Go_prints_them(long nanoseconds, string expected)
    {
        GoDuration.Format(TimeSpan.FromTicks(nanoseconds / 100)).Should().Be(expected);
    }
}
