using System.Buffers;
using System.Net;
using System.Net.Sockets;
using KvDirectory.Node.Membership;
using KvDirectory.Testing;
using KvDirectory.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Node.Tests;

public sealed class ClusterJoinerTests
{
    private static readonly ClusterState Existing = new(0xc1, 0, [
        new ClusterMember(0xa, "a", ["http://127.0.0.1:1"], ["http://127.0.0.1:2379"]),
        new ClusterMember(0xb, string.Empty, ["http://127.0.0.1:7002", "http://10.0.0.2:7002"], []),
    ]);

    [Fact]
    public async Task A_joining_member_finds_its_id_by_its_peer_urls_in_any_order()
    {
        using var listener = ServeMembership(Existing, out var url);

        var joined = await Task.Run(() => ClusterJoiner.Join(
            [url], ["http://10.0.0.2:7002", "http://127.0.0.1:7002"], TimeSpan.FromSeconds(10), NullLogger.Instance));

        joined.LocalMemberId.Should().Be(0xbUL);
        joined.ClusterId.Should().Be(0xc1UL);
        joined.Members.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_member_that_was_not_added_first_is_told_to_add_it()
    {
        using var listener = ServeMembership(Existing, out var url);

        var join = () => ClusterJoiner.Join([url], ["http://127.0.0.1:7999"], TimeSpan.FromSeconds(10), NullLogger.Instance);

        (await FluentActions.Awaiting(() => Task.Run(join)).Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().Contain("has no member with peer URLs http://127.0.0.1:7999").And.Contain("member add");
    }

    [Fact]
    public async Task A_member_that_has_not_applied_the_add_yet_is_passed_over_for_one_that_has()
    {
        var lagging = Existing with { Members = [Existing.Members[0]] };
        using var behind = ServeMembership(lagging, out var behindUrl);
        using var current = ServeMembership(Existing, out var currentUrl);

        var joined = await Task.Run(() => ClusterJoiner.Join(
            [behindUrl, currentUrl], ["http://127.0.0.1:7002", "http://10.0.0.2:7002"], TimeSpan.FromSeconds(10), NullLogger.Instance));

        joined.LocalMemberId.Should().Be(0xbUL);
    }

    [Fact]
    public async Task Nobody_answering_gives_up_at_the_deadline_with_what_to_check()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";

        var join = () => ClusterJoiner.Join([url], ["http://127.0.0.1:7999"], TimeSpan.FromSeconds(1), NullLogger.Instance);

        (await FluentActions.Awaiting(() => Task.Run(join)).Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().Contain("could not get the member list").And.Contain(url).And.Contain("--initial-cluster");
    }

    /// <summary>Answers every membership query with <paramref name="state"/>, as a running member's peer port does.</summary>
    private static TcpListener ServeMembership(ClusterState state, out string url)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        _ = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync();
                }
                catch (Exception error) when (error is SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    var query = await PeerFrame.ReadAsync(stream, CancellationToken.None);
                    query!.Value.Kind.Should().Be(PeerFrameKind.MembershipQuery);
                    var reply = new ArrayBufferWriter<byte>();
                    PeerFrame.Write(reply, PeerFrameKind.MembershipReply, ClusterStateCodec.Encode(state));
                    await stream.WriteAsync(reply.WrittenMemory);
                }
            }
        });
        return listener;
    }
}
