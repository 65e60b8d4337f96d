using System.Buffers;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Proposals;
using KvDirectory.Node.Snapshots;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Store;
using KvDirectory.Transport;

namespace KvDirectory.Wire.Tests;

/// <summary>One value of a format, how to encode it, and how to decode it back to something comparable with the value.</summary>
public sealed record GoldenSample(string Name, object Value, Func<byte[]> Encode, Func<byte[], object> Decode)
{
    public override string ToString() => Name;
}

/// <summary>
/// A value of every hand-written binary format, with the awkward cases (empty strings, non-ASCII text, negative and
/// large numbers, absent optionals). Their bytes, as the build before the shared toolkit wrote them, are kept in
/// Golden/samples.txt: data dirs, snapshots and backups written by that build must stay readable.
/// </summary>
public static class GoldenSamples
{
    private static readonly DateTimeOffset Expiry = new(2026, 12, 2, 8, 30, 15, 123, TimeSpan.Zero);

    private static readonly ClusterState Members = new(0xc1a5_7e40_0000_0001, 0xa, [
        new ClusterMember(0xa, "alpha", ["http://127.0.0.1:2380"], ["http://127.0.0.1:2379"]),
        new ClusterMember(0xffee_ddcc_bbaa_0099, "bêta", ["http://127.0.0.1:2381", "https://10.0.0.2:2380"], []),
        new ClusterMember(0x3, "", [], ["http://[::1]:2379", "http://x:1"]),
    ]) { RemovedIds = new HashSet<ulong> { 0xd, 0x1_0000_0000 } };

    public static IReadOnlyList<GoldenSample> All { get; } = Build();

    private static List<GoldenSample> Build()
    {
        var samples = new List<GoldenSample>();
        StoreCommand[] commands =
        [
            new SetCommand("/a/b", false, "value ✓ ünïcode", Expiry, false),
            new SetCommand("/dir", true, "", null, true),
            new CreateCommand("/queue", false, "", true, null),
            new CreateCommand("/d", true, "", false, Expiry),
            new UpdateCommand("/a/b", new string('x', 300), null, true),
            new CompareAndSwapCommand("/cas", "old", 1234567890123, "new", Expiry, false),
            new CompareAndSwapCommand("/cas", "", -1, "v", null, true),
            new DeleteCommand("/a", true, true),
            new CompareAndDeleteCommand("/cad", "prev", 0),
            new ExpireKeysCommand(Expiry),
        ];
        for (var i = 0; i < commands.Length; i++)
        {
            var command = commands[i];
            samples.Add(new($"store command {i} {command.GetType().Name}", command, () => StoreCommandCodec.Encode(command), bytes => StoreCommandCodec.Decode(bytes)));
        }

        samples.Add(new("store snapshot", SnapshotTree(), () => StoreSnapshot(), bytes => Tree(bytes)));

        var entry = new Entry(7, 42, EntryType.Normal, new byte[] { 0, 1, 2, 0xff });
        var confEntry = new Entry(8, 43, EntryType.ConfChange, new ConfChange(ConfChangeType.AddNode, 0xb, new byte[] { 9 }).Encode());
        var raftSnapshot = new Snapshot(new SnapshotMetadata(100, 6, new ConfState([1, 2, 3], [9])), new byte[] { 5, 6, 7 });
        samples.Add(new("raft entry", entry, () => RaftCodec.EncodeEntry(entry), bytes => RaftCodec.DecodeEntry(bytes)));
        samples.Add(new("raft empty entry", new Entry(1, 1), () => RaftCodec.EncodeEntry(new Entry(1, 1)), bytes => RaftCodec.DecodeEntry(bytes)));
        samples.Add(new("raft hard state", new HardState(3, 2, ulong.MaxValue), () => RaftCodec.EncodeHardState(new HardState(3, 2, ulong.MaxValue)), bytes => RaftCodec.DecodeHardState(bytes)));
        samples.Add(new("raft conf state", raftSnapshot.Metadata.ConfState, () => RaftCodec.EncodeConfState(raftSnapshot.Metadata.ConfState), bytes => RaftCodec.DecodeConfState(bytes)));
        samples.Add(new("raft snapshot", raftSnapshot, () => RaftCodec.EncodeSnapshot(raftSnapshot), bytes => RaftCodec.DecodeSnapshot(bytes)));
        var append = new Message
        {
            Type = MessageType.MsgApp, To = 2, From = 1, Term = 7, LogTerm = 6, Index = 41, Commit = 40,
            Entries = [entry, confEntry], Context = new byte[] { 1, 2 },
        };
        var snap = new Message { Type = MessageType.MsgSnap, To = 3, From = 1, Term = 7, Snapshot = raftSnapshot };
        var reject = new Message { Type = MessageType.MsgAppResp, To = 1, From = 2, Term = 7, Index = 41, Reject = true, RejectHint = 30 };
        samples.Add(new("raft message append", append, () => RaftCodec.EncodeMessage(append), bytes => RaftCodec.DecodeMessage(bytes)));
        samples.Add(new("raft message snapshot", snap, () => RaftCodec.EncodeMessage(snap), bytes => RaftCodec.DecodeMessage(bytes)));
        samples.Add(new("raft message reject", reject, () => RaftCodec.EncodeMessage(reject), bytes => RaftCodec.DecodeMessage(bytes)));
        var change = new ConfChange(ConfChangeType.UpdateNode, 0xfeed, new byte[] { 1, 2, 3 });
        samples.Add(new("raft conf change", change, () => change.Encode(), bytes => ConfChange.Decode(bytes)));

        samples.Add(new("member list", Members, () => ClusterStateCodec.Encode(Members), bytes => ClusterStateCodec.Decode(bytes, 0xa)));
        samples.Add(new("cluster snapshot", (Members, new byte[] { 1, 2, 3 }), () => ClusterSnapshotFormat.Write(Members, [1, 2, 3]),
            bytes => ClusterSnapshotFormat.Read(bytes, 0xa) is var (m, s) ? (m!, s.ToArray()) : default));
        var membershipChange = new MembershipChange(MembershipChangeKind.Add, 0, ["http://127.0.0.1:2390", "http://ñ:1"], "echo", 0x0102_0304_0506_0708);
        samples.Add(new("membership change", membershipChange, () => membershipChange.Encode(),
            bytes => MembershipChange.FromConfChange(new ConfChange(ConfChangeType.AddNode, 0, bytes))!));
        var attributes = new MemberAttributes(0xa, "alpha", ["http://127.0.0.1:2379", "http://127.0.0.1:4001"]);
        samples.Add(new("member attributes", attributes, () => attributes.Encode(), bytes => MemberAttributes.Decode(bytes)));
        var identity = new MemberIdentity(0x8e9e_05c5_2164_694d, 0xcdf8_18194_e3a8c32);
        samples.Add(new("member identity", identity, () => identity.Encode(), bytes => MemberIdentity.TryDecode(bytes)!));
        samples.Add(new("proposal", (0x1234_5678_9abc_def0UL, commands[0]), () => ProposalPayload.Encode(0x1234_5678_9abc_def0, commands[0]),
            bytes => ProposalPayload.TryDecode(bytes, out var id, out var body) ? (id, StoreCommandCodec.Decode(body.Span)) : default));
        samples.Add(new("proposal attributes", attributes, () => ProposalPayload.EncodeAttributes(attributes),
            bytes => ProposalPayload.TryDecode(bytes, out _, out var body) && ProposalPayload.IsMemberAttributes(body.Span) ? MemberAttributes.Decode(body.Span[1..]) : null!));

        var handshake = new PeerHandshake(0xa, 0xc1, "alpha", ["http://127.0.0.1:2379", "http://h:1"]);
        samples.Add(new("peer handshake", handshake, () => handshake.Encode(), bytes => PeerHandshake.Decode(bytes)));
        samples.Add(new("peer frame", (PeerFrameKind.Message, new byte[] { 1, 2, 3, 4 }), () => Frame(PeerFrameKind.Message, [1, 2, 3, 4]), bytes => ReadFrame(bytes)));
        samples.Add(new("backup file", (77L, new byte[] { 1, 2, 3 }), () => Backup(77, [1, 2, 3]),
            bytes => BackupFile.Read(new MemoryStream(bytes)) is var (index, data) ? (index, data) : default));
        return samples;
    }

    /// <summary>A store with files, directories, TTLs and non-ASCII names, built by applying commands at fixed times.</summary>
    public static V2Store SnapshotTree()
    {
        var store = new V2Store(new StoreOptions(), new FixedTime(Expiry.AddHours(-1)));
        store.Apply(new SetCommand("/a/b", false, "value ✓", null, false));
        store.Apply(new SetCommand("/a/ttl", false, "soon", Expiry, false));
        store.Apply(new CreateCommand("/queue", false, "first", true, null));
        store.Apply(new CreateCommand("/empty", true, "", false, Expiry));
        store.Apply(new SetCommand("/ü/ñ", false, "", null, false));
        store.Apply(new CompareAndSwapCommand("/a/b", "value ✓", 0, "v2", null, false));
        store.Apply(new DeleteCommand("/queue", true, true));
        return store;
    }

    private static byte[] StoreSnapshot() => SnapshotTree().SaveSnapshot();

    /// <summary>A restored store, compared by its own snapshot (the canonical form of the tree).</summary>
    private static object Tree(byte[] bytes)
    {
        var store = new V2Store(new StoreOptions(), new FixedTime(Expiry.AddHours(-1)));
        store.RestoreSnapshot(bytes);
        return store;
    }

    private static byte[] Frame(PeerFrameKind kind, byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        PeerFrame.Write(writer, kind, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static object ReadFrame(byte[] bytes) =>
        PeerFrame.ReadAsync(new MemoryStream(bytes), CancellationToken.None).AsTask().GetAwaiter().GetResult() is var (kind, payload) ? (kind, payload) : default;

    private static byte[] Backup(long index, byte[] snapshot)
    {
        using var stream = new MemoryStream();
        BackupFile.WriteAsync(stream, index, snapshot, CancellationToken.None).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
