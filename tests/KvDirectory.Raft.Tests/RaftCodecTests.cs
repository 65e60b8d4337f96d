namespace KvDirectory.Raft.Tests;

public sealed class RaftCodecTests
{
    public static TheoryData<Message> Messages => new()
    {
        new Message { Type = MessageType.MsgHeartbeat, From = 1, To = 2, Term = 3, Commit = 9, Context = new byte[] { 1, 2, 3 } },
        new Message { Type = MessageType.MsgAppResp, From = 2, To = 1, Term = 3, Index = 7, Reject = true, RejectHint = 4, LogTerm = 2 },
        new Message
        {
            Type = MessageType.MsgApp, From = 1, To = 3, Term = ulong.MaxValue, Index = 10, LogTerm = 2, Commit = 8,
            Entries = [new Entry(2, 11, EntryType.Normal, new byte[] { 9 }), new Entry(3, 12, EntryType.ConfChange, new ConfChange(ConfChangeType.AddLearnerNode, 5).Encode()), new Entry(3, 13)],
        },
        new Message
        {
            Type = MessageType.MsgSnap, From = 1, To = 2, Term = 4,
            Snapshot = new Snapshot(new SnapshotMetadata(100, 4, new ConfState([1, 2, 3], [4])), new byte[] { 5, 6, 7, 8 }),
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_survives_encoding(Message message)
    {
        var decoded = RaftCodec.DecodeMessage(RaftCodec.EncodeMessage(message));
        decoded.Should().BeEquivalentTo(message, o => o.ComparingByMembers<Message>().Excluding(m => m.Context).Excluding(m => m.Entries).Excluding(m => m.Snapshot));
        decoded.Snapshot?.Metadata.Should().Be(message.Snapshot!.Metadata);
        decoded.Context.ToArray().Should().Equal(message.Context.ToArray());
        decoded.Entries.Should().Equal(message.Entries);
        decoded.Snapshot?.Data.ToArray().Should().Equal(message.Snapshot!.Data.ToArray());
    }

    [Fact]
    public void Entries_hard_states_conf_states_and_snapshots_survive_encoding()
    {
        var entry = new Entry(7, 42, EntryType.Normal, new byte[] { 1, 2 });
        RaftCodec.DecodeEntry(RaftCodec.EncodeEntry(entry)).Should().Be(entry);
        var hs = new HardState(5, 2, 40);
        RaftCodec.DecodeHardState(RaftCodec.EncodeHardState(hs)).Should().Be(hs);
        var cs = new ConfState([1, 3], [7]);
        RaftCodec.DecodeConfState(RaftCodec.EncodeConfState(cs)).Should().Be(cs);
        var snap = new Snapshot(new SnapshotMetadata(9, 2, cs), new byte[] { 4, 4 });
        var decoded = RaftCodec.DecodeSnapshot(RaftCodec.EncodeSnapshot(snap));
        decoded.Metadata.Should().Be(snap.Metadata);
        decoded.Data.ToArray().Should().Equal(4, 4);
    }

    [Fact]
    public void A_conf_change_survives_encoding()
    {
        var change = new ConfChange(ConfChangeType.RemoveNode, 12345, new byte[] { 1 });
        var decoded = ConfChange.Decode(change.Encode());
        decoded.Type.Should().Be(ConfChangeType.RemoveNode);
        decoded.NodeId.Should().Be(12345);
        decoded.Context.ToArray().Should().Equal(1);
    }

    [Fact]
    public void Truncated_or_corrupted_input_is_rejected()
    {
        var bytes = RaftCodec.EncodeMessage(new Message { Type = MessageType.MsgApp, Entries = [new Entry(1, 1, EntryType.Normal, new byte[] { 1, 2, 3 })] });
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var act = () => RaftCodec.DecodeMessage(bytes.AsSpan(0, cut));
            act.Should().Throw<FormatException>();
        }
        var withTrailer = bytes.Append((byte)0).ToArray();
        ((Action)(() => RaftCodec.DecodeMessage(withTrailer))).Should().Throw<FormatException>();
        var badVersion = (byte[])bytes.Clone();
        badVersion[0] = 99;
        ((Action)(() => RaftCodec.DecodeMessage(badVersion))).Should().Throw<FormatException>();
    }
}
