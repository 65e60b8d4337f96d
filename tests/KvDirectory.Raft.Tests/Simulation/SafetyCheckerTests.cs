namespace KvDirectory.Raft.Tests.Simulation;

/// <summary>The simulator's checks must themselves catch violations, or a green run proves nothing.</summary>
public sealed class SafetyCheckerTests
{
    private static SimulatedNode Node(ulong id) => new(id, [], SimulationOptions.ForSeed(1, 3), 1);

    [Fact]
    public void Two_nodes_applying_different_entries_at_one_index_is_reported()
    {
        var checker = new SafetyChecker();
        checker.OnApply(Node(1), new Entry(1, 1, EntryType.Normal, new byte[] { 1 }));
        var act = () => checker.OnApply(Node(2), new Entry(2, 1, EntryType.Normal, new byte[] { 2 }));
        act.Should().Throw<SimulationFailure>().WithMessage("*different entry at 1*");
    }

    [Fact]
    public void Applying_out_of_order_is_reported()
    {
        var checker = new SafetyChecker();
        var act = () => checker.OnApply(Node(1), new Entry(1, 2));
        act.Should().Throw<SimulationFailure>().WithMessage("*applied 2 after 0*");
    }

    [Fact]
    public void A_read_answered_below_what_was_committed_when_it_was_issued_is_reported()
    {
        var checker = new SafetyChecker();
        var node = Node(1);
        node.Raft!.Bootstrap([1]);
        node.Raft.GetReady().CommittedEntries.Should().HaveCount(1);
        checker.CheckCommitted(node);
        checker.MaxCommitted.Should().Be(1);
        var context = new byte[8];
        checker.OnReadIssued(context);
        var act = () => checker.OnReadAnswered(node, new ReadState(0, context));
        act.Should().Throw<SimulationFailure>().WithMessage("*went back*");
    }

    [Fact]
    public void Two_leaders_in_one_term_are_reported()
    {
        var checker = new SafetyChecker();
        var a = Node(1);
        var b = Node(2);
        foreach (var n in new[] { a, b })
        {
            n.Raft!.Bootstrap([n.Id]);
            var ready = n.Raft.GetReady();
            n.Disk.Append(ready.Entries);
            n.Raft.Advance(ready);
            n.Raft.Campaign();
        }
        a.Raft!.Raft.Term.Should().Be(b.Raft!.Raft.Term);
        var act = () => checker.CheckLeaders([a, b]);
        act.Should().Throw<SimulationFailure>().WithMessage("*two leaders in term*");
    }
}
