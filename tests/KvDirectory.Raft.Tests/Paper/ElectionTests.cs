using KvDirectory.Raft.Tests.Support;

namespace KvDirectory.Raft.Tests.Paper;

/// <summary>Raft paper §5.1 and §5.2: terms and leader election.</summary>
public sealed class ElectionTests
{
    private static readonly ulong[] Three = [1, 2, 3];

    [Fact]
    public void A_server_starts_as_a_follower()
    {
        var node = TestRaft.New(1, Three);
        node.Role.Should().Be(StateRole.Follower);
        node.Term.Should().Be(0);
    }

    [Theory]
    [InlineData(StateRole.Follower)]
    [InlineData(StateRole.Candidate)]
    [InlineData(StateRole.Leader)]
    public void Any_role_that_sees_a_larger_term_adopts_it_and_becomes_follower(StateRole role)
    {
        var node = InRole(role);
        node.Step(new Message { From = 2, To = 1, Type = MessageType.MsgApp, Term = 5 });
        node.Term.Should().Be(5);
        node.Role.Should().Be(StateRole.Follower);
        node.Lead.Should().Be(2);
    }

    [Fact]
    public void A_request_with_a_stale_term_is_ignored()
    {
        var node = TestRaft.New(1, Three);
        node.BecomeFollower(2, 2);
        node.Step(new Message { From = 3, To = 1, Type = MessageType.MsgApp, Term = 1, Entries = [new Entry(1, 1)] });
        node.Log.LastIndex().Should().Be(0);
        node.Term.Should().Be(2);
    }

    [Fact]
    public void A_leader_broadcasts_heartbeats_every_heartbeat_timeout()
    {
        var nw = TestNetwork.Create(3);
        nw.Campaign(1);
        var leader = nw[1];
        leader.Take();
        leader.Tick();
        leader.Take().Where(m => m.Type == MessageType.MsgHeartbeat).Select(m => m.To).Should().BeEquivalentTo([2UL, 3UL]);
    }

    [Theory]
    [InlineData(StateRole.Follower)]
    [InlineData(StateRole.Candidate)]
    public void After_an_election_timeout_a_node_starts_an_election(StateRole role)
    {
        var node = InRole(role);
        var term = node.Term;
        node.TickElection();
        node.Role.Should().Be(StateRole.Candidate);
        node.Term.Should().Be(term + 1);
        node.Vote.Should().Be(1);
        node.Take().Where(m => m.Type == MessageType.MsgVote).Select(m => m.To).Should().BeEquivalentTo([2UL, 3UL]);
    }

    [Theory]
    [InlineData(1, new bool[0], StateRole.Leader)]
    [InlineData(3, new bool[0], StateRole.Candidate)]
    [InlineData(5, new[] { true }, StateRole.Candidate)]
    [InlineData(3, new[] { true, true }, StateRole.Leader)]
    [InlineData(3, new[] { true, false }, StateRole.Leader)]
    [InlineData(5, new[] { true, true, true, true }, StateRole.Leader)]
    [InlineData(5, new[] { true, true, false, false }, StateRole.Leader)]
    [InlineData(3, new[] { false, false }, StateRole.Follower)]
    [InlineData(5, new[] { false, false, false, true }, StateRole.Follower)]
    [InlineData(5, new[] { true, false, false, false }, StateRole.Follower)]
    public void A_candidate_wins_with_a_majority_of_votes(int size, bool[] votes, StateRole expected)
    {
        var ids = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        var node = TestRaft.New(1, ids);
        node.Step(TestRaft.Hup(1));
        for (var i = 0; i < votes.Length; i++)
            node.Step(new Message { From = (ulong)i + 2, To = 1, Term = node.Term, Type = MessageType.MsgVoteResp, Reject = !votes[i] });
        node.Role.Should().Be(expected);
    }

    [Theory]
    [InlineData(0UL, 2UL, false)]
    [InlineData(0UL, 3UL, false)]
    [InlineData(2UL, 2UL, false)]
    [InlineData(2UL, 3UL, true)]
    [InlineData(3UL, 2UL, true)]
    [InlineData(3UL, 3UL, false)]
    public void A_follower_votes_for_at_most_one_candidate_per_term(ulong votedFor, ulong candidate, bool rejected)
    {
        var node = TestRaft.New(1, Three);
        node.Step(new Message { From = 2, To = 1, Term = 1, Type = MessageType.MsgHeartbeat });
        node.BecomeFollower(1, 0);
        if (votedFor != 0) node.Step(new Message { From = votedFor, To = 1, Term = 1, Type = MessageType.MsgVote });
        node.Take();
        node.Step(new Message { From = candidate, To = 1, Term = 1, Type = MessageType.MsgVote });
        node.Take().Single().Reject.Should().Be(rejected);
    }

    [Fact]
    public void A_candidate_that_hears_from_a_leader_of_its_term_becomes_follower()
    {
        var node = InRole(StateRole.Candidate);
        node.Step(new Message { From = 2, To = 1, Term = node.Term, Type = MessageType.MsgApp });
        node.Role.Should().Be(StateRole.Follower);
        node.Lead.Should().Be(2);
    }

    [Fact]
    public void Election_timeouts_are_randomized_within_one_to_two_election_timeouts()
    {
        var seen = new HashSet<int>();
        for (var seed = 0; seed < 200; seed++)
        {
            var node = TestRaft.New(1, Three, seed: seed * 7);
            var ticks = 0;
            while (node.Role == StateRole.Follower) { node.Tick(); ticks++; }
            ticks.Should().BeInRange(10, 20);
            seen.Add(ticks);
        }
        seen.Count.Should().BeGreaterThan(5, "different seeds must spread the timeouts");
    }

    [Theory]
    [InlineData(2UL, 3UL, false)]
    [InlineData(2UL, 4UL, false)]
    [InlineData(2UL, 1UL, true)]
    [InlineData(1UL, 3UL, true)]
    [InlineData(3UL, 1UL, false)]
    [InlineData(3UL, 3UL, false)]
    public void A_voter_denies_a_candidate_whose_log_is_less_up_to_date(ulong candidateLastTerm, ulong candidateLastIndex, bool rejected)
    {
        // The voter's log ends with (index 2, term 2).
        var node = TestRaft.New(1, Three, storage: TestRaft.StorageWithTerms(Three, 1, 2));
        node.Step(new Message { From = 2, To = 1, Term = 3, Type = MessageType.MsgVote, LogTerm = candidateLastTerm, Index = candidateLastIndex });
        node.Take().Single().Reject.Should().Be(rejected);
    }

    [Fact]
    public void There_is_at_most_one_leader_per_term_when_two_candidates_split_the_vote()
    {
        var nw = TestNetwork.Create(5);
        nw.Cut(1, 3);
        nw.Cut(1, 4);
        nw.Cut(2, 4);
        nw.Cut(2, 5);
        nw.Cut(3, 5);
        nw.Campaign(1);
        nw.Campaign(2);
        var leaders = nw.Nodes.Values.Where(n => n.Role == StateRole.Leader).GroupBy(n => n.Term);
        leaders.Should().OnlyContain(g => g.Count() == 1);
    }

    private static RaftNode InRole(StateRole role)
    {
        var node = TestRaft.New(1, Three);
        switch (role)
        {
            case StateRole.Candidate:
                node.Step(TestRaft.Hup(1));
                break;
            case StateRole.Leader:
                node.Step(TestRaft.Hup(1));
                node.Step(new Message { From = 2, To = 1, Term = node.Term, Type = MessageType.MsgVoteResp });
                break;
        }
        node.Role.Should().Be(role);
        node.Take();
        return node;
    }
}
