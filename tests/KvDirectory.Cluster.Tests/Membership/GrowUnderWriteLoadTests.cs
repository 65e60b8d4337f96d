using System.Diagnostics;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// A one-member cluster grows to three, then five, one member at a time (POST, start with
/// <c>--initial-cluster-state existing</c>, wait until healthy and listed everywhere) while a background writer keeps
/// writing; at the end every member holds every acknowledged write.
/// </summary>
public abstract class GrowUnderWriteLoadTests(ITestOutputHelper output)
{
    protected abstract Server Server { get; }

    [Fact]
    public async Task One_member_grows_to_three_then_five_under_write_load_and_every_member_holds_every_acknowledged_write()
    {
        var total = Stopwatch.StartNew();
        await using var cluster = await MembershipCluster.StartAsync(Server, 1);
        await using var writer = new AcknowledgedWriter(cluster, "/load");
        writer.Start();
        await writer.WaitForMoreAsync(20);

        for (var size = 2; size <= 5; size++)
        {
            var step = Stopwatch.StartNew();
            var joined = await cluster.AddMemberAsync();
            var healthy = step.Elapsed;
            await cluster.WaitUntilEveryMemberListsAllAsync();
            // The grown cluster takes writes (a majority of the new configuration acknowledges them).
            await writer.WaitForMoreAsync(10);
            output.WriteLine($"{Server}: {joined.Name} ({joined.Id}) joined as member {size}: healthy after {healthy.TotalSeconds:F1}s, " +
                $"listed everywhere and taking writes after {step.Elapsed.TotalSeconds:F1}s; acknowledged {writer.AcknowledgedCount}, failed {writer.FailedCount}");
            cluster.Members.Should().HaveCount(size);

            if (size == 3)
            {
                await AssertEveryMemberHoldsAsync(cluster, writer.AcknowledgedSoFar());
            }
        }

        var writes = await writer.StopAsync();
        var catchUp = Stopwatch.StartNew();
        await AssertEveryMemberHoldsAsync(cluster, writes);
        output.WriteLine($"{Server}: {writes.Count} acknowledged writes ({writer.FailedCount} failed) on all 5 members; " +
            $"final catch-up check {catchUp.Elapsed.TotalSeconds:F1}s, whole test {total.Elapsed.TotalSeconds:F1}s");

        foreach (var line in cluster.Events)
        {
            output.WriteLine($"{Server}: {line}");
        }
    }

    private static async Task AssertEveryMemberHoldsAsync(MembershipCluster cluster, IReadOnlyList<AcknowledgedWrite> writes)
    {
        writes.Should().NotBeEmpty();
        var missing = new List<string>();
        foreach (var member in cluster.Members)
        {
            missing.AddRange(await cluster.MissingWritesAsync(member, writes, "/load"));
        }

        missing.Should().BeEmpty($"every member holds every acknowledged write ({writes.Count})\n{cluster.Output}");
    }
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.Etcd)]
public sealed class GrowUnderWriteLoadOnEtcd(ITestOutputHelper output) : GrowUnderWriteLoadTests(output)
{
    protected override Server Server => Server.Etcd;
}

[Collection(MembershipCollection.Name)]
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class GrowUnderWriteLoadOnKvDirectory(ITestOutputHelper output) : GrowUnderWriteLoadTests(output)
{
    protected override Server Server => Server.KvDirectory;
}
