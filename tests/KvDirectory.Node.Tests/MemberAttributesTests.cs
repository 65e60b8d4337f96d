using KvDirectory.Node.Membership;
using KvDirectory.Node.Proposals;

namespace KvDirectory.Node.Tests;

public sealed class MemberAttributesTests
{
    private const ulong IdA = 0xa;
    private const ulong IdB = 0xb;

    private static readonly ClusterState Both = new(0xc1, IdB, [
        new ClusterMember(IdA, string.Empty, ["http://127.0.0.1:1"], []),
        new ClusterMember(IdB, "b", ["http://127.0.0.1:2"], []),
    ]);

    [Fact]
    public void Published_attributes_name_the_member_and_its_client_urls_on_every_member_alike()
    {
        var published = new MemberAttributes(IdA, "a", ["http://client-a:2379", "http://client-a:4001"]);

        var next = MembershipRules.ApplyAttributes(Both, published);

        next!.Find(IdA).Should().BeEquivalentTo(new ClusterMember(IdA, "a", ["http://127.0.0.1:1"], ["http://client-a:2379", "http://client-a:4001"]));
        next.Find(IdB).Should().Be(Both.Find(IdB));
        MembershipRules.ApplyAttributes(next, published).Should().BeNull("the same attributes again change nothing");
        MembershipRules.ApplyAttributes(Both, published with { MemberId = 0xc }).Should().BeNull("an unknown or removed member is ignored");
    }

    [Fact]
    public void Attributes_survive_the_log_entry_and_the_snapshot_encoding()
    {
        var published = new MemberAttributes(IdA, "a", ["http://client-a:2379"]);
        var payload = ProposalPayload.EncodeAttributes(published);

        ProposalPayload.TryDecode(payload, out var requestId, out var body).Should().BeTrue();
        requestId.Should().Be(0UL);
        ProposalPayload.IsMemberAttributes(body.Span).Should().BeTrue();
        MemberAttributes.Decode(body.Span[1..]).Should().BeEquivalentTo(published);

        var state = MembershipRules.ApplyAttributes(Both, published)!;
        ClusterStateCodec.Decode(ClusterStateCodec.Encode(state), IdB).Find(IdA).Should().BeEquivalentTo(state.Find(IdA));
    }

    [Fact]
    public void A_store_command_is_never_taken_for_attributes()
    {
        var command = new KvDirectory.Store.DeleteCommand("/a", false, false);

        ProposalPayload.TryDecode(ProposalPayload.Encode(7, command), out _, out var body).Should().BeTrue();

        ProposalPayload.IsMemberAttributes(body.Span).Should().BeFalse();
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 10 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 5, 97 })]
    public void Damaged_attributes_are_a_format_error(byte[] bytes)
    {
        var decode = () => MemberAttributes.Decode(bytes);

        decode.Should().Throw<FormatException>();
    }
}
