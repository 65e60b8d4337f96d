using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// A member publishes its name and client URLs through the log once it starts, as etcd does, so members that never
/// heard from it directly list it the same as the ones it talks to. KvDirectory only: the member is cut off from all
/// but the leader with <c>--peer-dial-override</c>, a flag etcd does not have.
/// </summary>
[Trait(MembershipTraits.Server, MembershipTraits.KvDirectory)]
public sealed class PublishedAttributesTests(ITestOutputHelper output)
{
    /// <summary>Nothing listens here: a dial to it is refused at once.</summary>
    private const string Nowhere = "127.0.0.1:1";

    [Fact]
    public async Task A_member_that_reaches_only_the_leader_is_listed_with_its_name_and_client_urls_by_every_member()
    {
        await using var cluster = await MembershipCluster.StartAsync(Server.KvDirectory, 3);
        try
        {
            var added = await cluster.AddMemberAsync(leader =>
            [
                "--peer-dial-override",
                string.Join(',', cluster.Members.Where(m => m != leader && m.Id.Length > 0).Select(m => $"{m.Name}={Nowhere}")),
            ]);

            // The followers never receive a connection (or a handshake) from it; the log is all they know it by.
            await cluster.WaitUntilEveryMemberListsAllAsync();
            var listings = new List<string>();
            var machines = new List<string>();
            foreach (var member in cluster.Running)
            {
                listings.Add(string.Join('\n', (await cluster.ListMembersAsync(member)).Members
                    .OrderBy(m => m.Id, StringComparer.Ordinal)
                    .Select(m => $"{m.Id} {m.Name} {string.Join(' ', m.PeerUrls)} {string.Join(' ', m.ClientUrls)}")));
                machines.Add(string.Join(',', (await cluster.Http.GetStringAsync(member.Url("/v2/machines")))
                    .Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)));
            }

            listings.Distinct().Should().ContainSingle("every member answers /v2/members identically");
            listings[0].Should().Contain($"{added.Id} {added.Name} {added.PeerUrl} {added.ClientUrl}");
            machines.Distinct().Should().ContainSingle("every member answers /v2/machines identically");
            machines[0].Split(',').Should().Contain(added.ClientUrl);
        }
        finally
        {
            output.WriteLine(string.Join('\n', cluster.Events));
        }
    }
}
