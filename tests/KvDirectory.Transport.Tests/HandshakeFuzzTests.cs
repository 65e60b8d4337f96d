namespace KvDirectory.Transport.Tests;

/// <summary>
/// Seeded fuzzing of the peer handshake and frame headers: whatever a stray or hostile connection sends may only raise
/// the format's own exception (<see cref="FormatException"/> for a handshake; <see cref="InvalidDataException"/> or
/// <see cref="EndOfStreamException"/> for a frame), which the transport answers by dropping the connection.
/// </summary>
public sealed class HandshakeFuzzTests
{
    private const int Iterations = 3_000;

    /// <summary>Fewer: a damaged header may declare a payload up to the frame limit, allocated before it turns out short.</summary>
    private const int FrameIterations = 300;

    [Fact]
    public void A_damaged_handshake_raises_only_a_format_error()
    {
        var valid = new PeerHandshake(0xa, 0xc1, "a", ["http://127.0.0.1:2379"]).Encode();
        for (var seed = 1; seed <= Iterations; seed++)
        {
            var bytes = Damage(valid, new Random(seed));
            try
            {
                PeerHandshake.Decode(bytes);
            }
            catch (FormatException)
            {
            }
            catch (Exception error)
            {
                Assert.Fail($"seed {seed}, bytes {Convert.ToHexString(bytes)}: {error.GetType().Name} {error.Message}");
            }
        }
    }

    [Fact]
    public async Task Damaged_frames_raise_only_a_frame_error()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        PeerFrame.Write(writer, PeerFrameKind.Message, [1, 2, 3, 4]);
        var valid = writer.WrittenSpan.ToArray();
        for (var seed = 1; seed <= FrameIterations; seed++)
        {
            var bytes = Damage(valid, new Random(seed));
            try
            {
                using var stream = new MemoryStream(bytes);
                while (await PeerFrame.ReadAsync(stream, CancellationToken.None) is not null)
                {
                }
            }
            catch (Exception error) when (error is InvalidDataException or EndOfStreamException)
            {
            }
            catch (Exception error)
            {
                Assert.Fail($"seed {seed}, bytes {Convert.ToHexString(bytes)}: {error.GetType().Name} {error.Message}");
            }
        }
    }

    private static byte[] Damage(byte[] valid, Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                var noise = new byte[random.Next(0, 48)];
                random.NextBytes(noise);
                return noise;
            case 1:
                return valid[..random.Next(0, valid.Length)];
            default:
                byte[] flipped = [.. valid, .. new byte[random.Next(0, 3)]];
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return flipped;
        }
    }
}
