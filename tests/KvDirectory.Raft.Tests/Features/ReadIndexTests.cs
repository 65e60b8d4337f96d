using System.Text;
using KvDirectory.Raft.Tests.Support;

namespace KvDirectory.Raft.Tests.Features;

/// <summary>Linearizable reads without log entries: ReadIndex confirmed by a heartbeat quorum.</summary>
public sealed class ReadIndexTests
{
    [Fact]
    public void The_leader_answers_a_read_at_its_commit_index_after_a_heartbeat_quorum()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Propose(1);
        nw.Send(ReadIndex(1, "ctx1"));
        var state = nw[1].TakeReadStates().Should().ContainSingle().Subject;
        state.Index.Should().Be(2);
        Encoding.UTF8.GetString(state.Context.Span).Should().Be("ctx1");
    }

    [Fact]
    public void A_read_is_not_answered_without_a_quorum_of_acknowledgements()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Isolate(1);
        nw.Send(ReadIndex(1, "ctx"));
        nw[1].TakeReadStates().Should().BeEmpty();
        nw.Recover();
        nw.Send(new Message { From = 1, To = 1, Type = MessageType.MsgBeat });
        nw[1].TakeReadStates().Should().ContainSingle();
    }

    [Fact]
    public void A_follower_forwards_the_read_to_the_leader_and_gets_the_answer()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Propose(1);
        nw.Send(ReadIndex(2, "from-follower"));
        var state = nw[2].TakeReadStates().Should().ContainSingle().Subject;
        state.Index.Should().Be(2);
        Encoding.UTF8.GetString(state.Context.Span).Should().Be("from-follower");
        nw[1].TakeReadStates().Should().BeEmpty();
    }

    [Fact]
    public void A_new_leader_defers_reads_until_an_entry_of_its_term_commits()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        nw.Ignore(MessageType.MsgApp);
        nw.Campaign(2);
        nw[2].Role.Should().Be(StateRole.Leader);
        nw[2].Log.Committed.Should().Be(1, "the term-2 entry is not replicated yet");
        nw.Send(ReadIndex(2, "early"));
        nw[2].TakeReadStates().Should().BeEmpty();
        nw.Recover();
        nw.Send(new Message { From = 2, To = 2, Type = MessageType.MsgBeat });
        var state = nw[2].TakeReadStates().Should().ContainSingle().Subject;
        state.Index.Should().Be(2);
    }

    [Fact]
    public void A_single_member_answers_reads_at_once()
    {
        var node = TestRaft.New(1, [1]);
        node.Step(TestRaft.Hup(1));
        node.Step(ReadIndex(1, "solo"));
        node.TakeReadStates().Should().ContainSingle().Which.Index.Should().Be(1);
    }

    [Fact]
    public void Without_a_leader_a_read_is_refused()
    {
        var node = TestRaft.New(1, [1, 2, 3]);
        node.Step(ReadIndex(1, "nobody")).Should().BeFalse();
    }

    private static Message ReadIndex(ulong at, string context) => new()
    {
        From = at, To = at, Type = MessageType.MsgReadIndex,
        Entries = [new Entry(0, 0, EntryType.Normal, Encoding.UTF8.GetBytes(context))],
    };
}
