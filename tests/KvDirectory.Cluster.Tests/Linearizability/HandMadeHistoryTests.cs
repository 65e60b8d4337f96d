using Xunit.Abstractions;
using static KvDirectory.Cluster.Tests.Linearizability.OperationInput;
using static KvDirectory.Cluster.Tests.Linearizability.OperationOutput;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>Small histories whose verdict one can see by drawing the intervals; each is cross-checked by brute force.</summary>
public sealed class HandMadeHistoryTests(ITestOutputHelper output)
{
    private static Operation Op(int client, long call, long ret, OperationInput input, OperationOutput result) =>
        Operation.Completed(client, call, ret, input, result);

    private static Operation Lost(int client, long call, OperationInput input) => Operation.Abandoned(client, call, input);

    private void ShouldBe(bool linearizable, params Operation[] history)
    {
        var result = LinearizabilityChecker.Check(history);
        output.WriteLine(result.Describe());
        BruteForceChecker.IsLinearizable(history).Should().Be(linearizable, "the brute-force oracle must agree with the test's claim");
        result.Verdict.Should().Be(linearizable ? Verdict.Linearizable : Verdict.NotLinearizable, result.Describe());
    }

    [Fact]
    public void An_empty_history_is_linearizable() => ShouldBe(true);

    [Fact]
    public void A_stale_read_after_a_completed_write_is_not_linearizable() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 30, Set("k", "b"), Ok()),
        Op(2, 40, 50, Get("k"), Read("a")));

    [Fact]
    public void A_read_concurrent_with_a_write_may_see_the_old_value() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 60, Set("k", "b"), Ok()),
        Op(2, 30, 40, Get("k"), Read("a")));

    [Fact]
    public void A_read_concurrent_with_a_write_may_see_the_new_value() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 60, Set("k", "b"), Ok()),
        Op(2, 30, 40, Get("k"), Read("b")));

    [Fact]
    public void Once_a_read_saw_the_new_value_a_later_read_may_not_see_the_old_one() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 100, Set("k", "b"), Ok()),
        Op(2, 30, 40, Get("k"), Read("b")),
        Op(3, 50, 60, Get("k"), Read("a")));

    [Fact]
    public void A_read_of_a_never_written_key_finds_nothing() => ShouldBe(true,
        Op(1, 0, 10, Get("k"), NotFound()));

    [Fact]
    public void A_read_of_a_value_nobody_wrote_is_not_linearizable() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(2, 5, 15, Get("k"), Read("z")));

    [Fact]
    public void A_compare_and_swap_success_after_a_write_of_another_value_is_not_linearizable() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 30, Set("k", "b"), Ok()),
        Op(2, 40, 50, CompareAndSwap("k", "a", "c"), Ok()));

    [Fact]
    public void A_compare_and_swap_success_concurrent_with_the_other_write_is_linearizable() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 60, Set("k", "b"), Ok()),
        Op(2, 40, 50, CompareAndSwap("k", "a", "c"), Ok()));

    [Fact]
    public void Two_compare_and_swaps_from_the_same_value_cannot_both_succeed_a_lost_update() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "0"), Ok()),
        Op(1, 20, 50, CompareAndSwap("k", "0", "1"), Ok()),
        Op(2, 20, 50, CompareAndSwap("k", "0", "1"), Ok()));

    [Fact]
    public void Of_two_concurrent_compare_and_swaps_from_the_same_value_one_fails() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "0"), Ok()),
        Op(1, 20, 50, CompareAndSwap("k", "0", "1"), Ok()),
        Op(2, 20, 50, CompareAndSwap("k", "0", "1"), CompareFailed()));

    [Fact]
    public void A_compare_and_swap_on_an_absent_key_answers_not_found() => ShouldBe(true,
        Op(1, 0, 10, CompareAndSwap("k", "a", "b"), NotFound()));

    [Fact]
    public void A_compare_failure_while_the_value_surely_matched_is_not_linearizable() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(2, 20, 30, CompareAndSwap("k", "a", "b"), CompareFailed()));

    [Fact]
    public void An_unknown_outcome_write_that_is_later_observed_took_effect() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Lost(2, 20, Set("k", "b")),
        Op(3, 100, 110, Get("k"), Read("b")),
        Op(3, 120, 130, Get("k"), Read("b")));

    [Fact]
    public void An_unknown_outcome_write_may_never_take_effect() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Lost(2, 20, Set("k", "b")),
        Op(3, 100, 110, Get("k"), Read("a")));

    [Fact]
    public void An_unknown_outcome_write_may_take_effect_long_after_its_call() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Lost(2, 20, Set("k", "b")),
        Op(3, 100, 110, Get("k"), Read("a")),
        Op(3, 200, 210, Get("k"), Read("b")));

    [Fact]
    public void An_unknown_outcome_write_whose_value_appears_before_its_call_is_not_linearizable() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(3, 20, 30, Get("k"), Read("b")),
        Lost(2, 40, Set("k", "b")));

    [Fact]
    public void An_unknown_outcome_write_takes_effect_at_most_once() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Lost(2, 20, Set("k", "b")),
        Op(3, 30, 40, Get("k"), Read("b")),
        Op(1, 50, 60, Set("k", "a"), Ok()),
        Op(3, 70, 80, Get("k"), Read("b")));

    [Fact]
    public void Create_on_an_existing_key_answers_key_exists() => ShouldBe(true,
        Op(1, 0, 10, Create("k", "a"), Ok()),
        Op(2, 20, 30, Create("k", "b"), KeyExists()),
        Op(2, 40, 50, Get("k"), Read("a")));

    [Fact]
    public void Two_creates_of_the_same_key_cannot_both_succeed() => ShouldBe(false,
        Op(1, 0, 30, Create("k", "a"), Ok()),
        Op(2, 0, 30, Create("k", "b"), Ok()));

    [Fact]
    public void Create_after_delete_succeeds() => ShouldBe(true,
        Op(1, 0, 10, Create("k", "a"), Ok()),
        Op(1, 20, 30, Delete("k"), Ok()),
        Op(2, 40, 50, Create("k", "b"), Ok()),
        Op(2, 60, 70, Get("k"), Read("b")));

    [Fact]
    public void A_read_after_a_completed_delete_finds_nothing() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 30, Delete("k"), Ok()),
        Op(2, 40, 50, Get("k"), Read("a")));

    [Fact]
    public void Deleting_an_absent_key_answers_not_found() => ShouldBe(false,
        Op(1, 0, 10, Delete("k"), Ok()));

    [Fact]
    public void Two_deletes_of_one_value_cannot_both_succeed() => ShouldBe(false,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(2, 20, 40, Delete("k"), Ok()),
        Op(3, 20, 40, Delete("k"), Ok()));

    [Fact]
    public void Compare_and_delete_removes_only_the_expected_value() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(2, 20, 30, CompareAndDelete("k", "b"), CompareFailed()),
        Op(2, 40, 50, CompareAndDelete("k", "a"), Ok()),
        Op(3, 60, 70, Get("k"), NotFound()));

    [Fact]
    public void Keys_are_independent_a_write_to_one_key_does_not_excuse_a_stale_read_of_another() => ShouldBe(false,
        Op(1, 0, 10, Set("x", "1"), Ok()),
        Op(1, 20, 30, Set("x", "2"), Ok()),
        Op(2, 25, 60, Set("y", "1"), Ok()),
        Op(3, 40, 50, Get("x"), Read("1")));

    [Fact]
    public void Keys_are_independent_writes_to_two_keys_may_take_effect_in_any_order() => ShouldBe(true,
        Op(1, 0, 50, Set("x", "1"), Ok()),
        Op(2, 0, 50, Set("y", "1"), Ok()),
        Op(3, 10, 20, Get("x"), NotFound()),
        Op(3, 30, 40, Get("y"), Read("1")),
        Op(4, 10, 20, Get("y"), NotFound()),
        Op(4, 30, 40, Get("x"), Read("1")));

    [Fact]
    public void Reads_that_disagree_on_the_order_of_two_writes_to_one_key_are_not_linearizable() => ShouldBe(false,
        Op(1, 0, 50, Set("x", "1"), Ok()),
        Op(2, 0, 50, Set("x", "2"), Ok()),
        Op(3, 10, 20, Get("x"), Read("1")),
        Op(3, 30, 40, Get("x"), Read("2")),
        Op(4, 10, 20, Get("x"), Read("2")),
        Op(4, 30, 40, Get("x"), Read("1")));

    [Fact]
    public void Intervals_that_only_touch_count_as_concurrent() => ShouldBe(true,
        Op(1, 0, 10, Set("k", "a"), Ok()),
        Op(1, 20, 30, Set("k", "b"), Ok()),
        Op(2, 30, 40, Get("k"), Read("a")));

    [Fact]
    public void A_violation_is_reported_as_the_history_up_to_the_stale_read_one_line_per_operation()
    {
        var result = LinearizabilityChecker.Check(
        [
            Op(1, 100, 110, Set("k", "a"), Ok()),
            Op(1, 120, 130, Set("k", "b"), Ok()),
            Op(2, 140, 150, Get("k"), Read("a")),
            Op(2, 160, 170, Set("k", "c"), Ok()),
            Op(3, 180, 190, Get("k"), Read("c")),
        ]);

        result.Verdict.Should().Be(Verdict.NotLinearizable);
        result.Keys.Single().FailingPrefix.Should().HaveCount(3, "the violation is complete once the stale read returned");
        result.Describe().Should().Contain(string.Join(Environment.NewLine,
            "  [c1] 0→10  Set(k, a) → ok",
            "  [c1] 20→30  Set(k, b) → ok",
            "  [c2] 40→50  Get(k) → a   ← returned last: no linearization explains it"));
    }

    [Fact]
    public void An_unknown_outcome_given_a_finite_return_time_is_still_open_forever()
    {
        var result = LinearizabilityChecker.Check(
        [
            Op(1, 0, 10, Set("k", "a"), Ok()),
            new Operation(2, 20, 30, Set("k", "b"), Unknown()),
            Op(3, 40, 50, Get("k"), Read("a")),
            Op(3, 60, 70, Get("k"), Read("b")),
        ]);

        result.Verdict.Should().Be(Verdict.Linearizable, result.Describe());
    }

    [Fact]
    public void Only_the_violating_key_is_reported()
    {
        var result = LinearizabilityChecker.Check(
        [
            Op(1, 0, 10, Set("good", "1"), Ok()),
            Op(1, 20, 30, Get("good"), Read("1")),
            Op(2, 0, 10, Set("bad", "1"), Ok()),
            Op(2, 20, 30, Get("bad"), NotFound()),
        ]);

        result.Verdict.Should().Be(Verdict.NotLinearizable);
        result.Keys.Should().ContainSingle(k => k.Verdict == Verdict.NotLinearizable).Which.Key.Should().Be("bad");
        result.Describe().Should().Contain("key bad").And.NotContain("key good");
    }
}
