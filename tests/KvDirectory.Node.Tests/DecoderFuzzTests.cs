using KvDirectory.Node.Membership;
using KvDirectory.Node.Proposals;
using KvDirectory.Node.Snapshots;
using KvDirectory.Raft;

namespace KvDirectory.Node.Tests;

/// <summary>
/// Seeded fuzzing of the node's hand-written binary formats: random bytes, and valid encodings with bytes flipped,
/// cut short or extended, may only ever raise the format's own <see cref="FormatException"/> (never an index, range
/// or overflow error that would take a member down on a damaged entry or snapshot).
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Iterations = 3_000;

    private static readonly ClusterState Members = new(0xc1, 0xa, [
        new ClusterMember(0xa, "a", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"]),
        new ClusterMember(0xb, "b", ["http://127.0.0.1:2381", "http://10.0.0.2:2380"], []),
    ]) { RemovedIds = new HashSet<ulong> { 0xd } };

    public static TheoryData<string> Formats => ["member list", "membership change", "member attributes", "snapshot data", "proposal"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Damaged_bytes_raise_only_a_format_error(string format)
    {
        var (valid, decode) = Decoder(format);
        for (var seed = 1; seed <= Iterations; seed++)
        {
            var bytes = Damage(valid, new Random(seed));
            try
            {
                decode(bytes);
            }
            catch (FormatException)
            {
            }
            catch (Exception error)
            {
                Assert.Fail($"{format}, seed {seed}, bytes {Convert.ToHexString(bytes)}: {error.GetType().Name} {error.Message}");
            }
        }
    }

    private static (byte[] Valid, Action<byte[]> Decode) Decoder(string format) => format switch
    {
        "member list" => (ClusterStateCodec.Encode(Members), bytes => ClusterStateCodec.Decode(bytes, 0xa)),
        "membership change" => (
            new MembershipChange(MembershipChangeKind.Add, 0xe, ["http://127.0.0.1:2390"], "e", 42).Encode(),
            bytes => MembershipChange.FromConfChange(new ConfChange(ConfChangeType.AddNode, 0xe, bytes))),
        "member attributes" => (
            new MemberAttributes(0xa, "a", ["http://127.0.0.1:2379", "http://127.0.0.1:4001"]).Encode(),
            bytes => MemberAttributes.Decode(bytes)),
        "snapshot data" => (ClusterSnapshotFormat.Write(Members, [1, 2, 3]), bytes => ClusterSnapshotFormat.Read(bytes, 0xa)),
        _ => (ProposalPayload.EncodeAttributes(new MemberAttributes(0xa, "a", ["u"])), bytes =>
        {
            if (ProposalPayload.TryDecode(bytes, out _, out var body) && ProposalPayload.IsMemberAttributes(body.Span))
            {
                MemberAttributes.Decode(body.Span[1..]);
            }
        }),
    };

    /// <summary>Random bytes a third of the time; otherwise the valid encoding flipped, cut, or extended at random.</summary>
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
