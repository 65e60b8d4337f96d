using KvDirectory.Transport;

namespace KvDirectory.Transport.Tests;

public sealed class PeerHandshakeTests
{
    [Fact]
    public void A_handshake_round_trips_with_ids_name_and_client_urls()
    {
        var handshake = new PeerHandshake(0x628170c800dbcee, 0xfeedface12345678, "infra-é", ["http://127.0.0.1:2379", "http://10.0.0.1:2379"]);

        var decoded = PeerHandshake.Decode(handshake.Encode());

        decoded.MemberId.Should().Be(handshake.MemberId);
        decoded.ClusterId.Should().Be(handshake.ClusterId);
        decoded.Name.Should().Be("infra-é");
        decoded.ClientUrls.Should().Equal(handshake.ClientUrls);
    }

    [Fact]
    public void A_member_without_client_urls_round_trips_with_none()
    {
        PeerHandshake.Decode(new PeerHandshake(1, 2, "a", []).Encode()).ClientUrls.Should().BeEmpty();
    }

    [Fact]
    public void Truncated_bytes_are_a_format_error()
    {
        var bytes = new PeerHandshake(1, 2, "abc", ["http://x:1"]).Encode();

        for (var length = 0; length < bytes.Length; length++)
        {
            var decode = () => PeerHandshake.Decode(bytes.AsSpan(0, length));
            decode.Should().Throw<FormatException>($"{length} of {bytes.Length} bytes is not a handshake");
        }
    }

    [Fact]
    public void An_unknown_version_is_a_format_error()
    {
        var bytes = new PeerHandshake(1, 2, "a", []).Encode();
        bytes[0] = 42;

        var decode = () => PeerHandshake.Decode(bytes);

        decode.Should().Throw<FormatException>().WithMessage("*version 42*");
    }
}
