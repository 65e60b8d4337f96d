using System.Net;
using KvDirectory.Cluster.Tests.Linearizability;
using KvDirectory.Protocol;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// The nemesis harness can fail: a lost acknowledged write, a wrongly read answer or diverging digests are caught,
/// and a paused member really stops answering. A check that cannot fail proves nothing. The real-cluster checks use
/// the <see cref="SharedCluster"/>: the paused member is resumed and healthy again before the test ends.
/// </summary>
[Collection(SharedClusterCollection.Name)]
public sealed class NemesisHarnessTests(SharedCluster shared)
{
    private const string Key = "/nemesis-0";

    [Fact]
    public void An_acknowledged_write_missing_from_the_final_read_is_an_anomaly_shown_with_its_minimal_history()
    {
        var recorder = LostWriteHistory(finalRead: "a");

        var result = LinearizabilityChecker.Check(recorder.ToHistory());

        result.Verdict.Should().Be(Verdict.NotLinearizable);
        var report = result.Describe();
        report.Should().Contain($"Set({Key}, b) → ok").And.Contain($"Get({Key}) → a   ← returned last");
        report.Should().NotContain("Get(/nemesis-1)", "the minimal history shows only the key that failed");
    }

    [Fact]
    public void A_final_read_of_a_write_with_an_unknown_outcome_is_no_anomaly()
    {
        // The swap's response was lost: it may have taken effect, so reading its value is fine.
        var recorder = LostWriteHistory(finalRead: "c");

        LinearizabilityChecker.Check(recorder.ToHistory()).Verdict.Should().Be(Verdict.Linearizable);
    }

    [Fact]
    public async Task A_phantom_acknowledged_write_against_a_real_cluster_fails_the_final_quorum_reads()
    {
        var cluster = shared.Cluster;
        await cluster.WaitForLeaderAsync();
        var recorder = new HistoryRecorder();
        using var client = new KeyOperationClient(NemesisRun.ClientTimeout, 1);
        var write = recorder.Call(0, OperationInput.Set(Key, "real"));
        write.Return((await client.ExecuteAsync(cluster.Members[0].ClientUrl, write.Input)).Output);
        // Acknowledged in the history, never sent: exactly what a lost write looks like to the checker.
        recorder.Call(1, OperationInput.Set(Key, "phantom")).ReturnOk();
        var check = new ConvergenceCheck(cluster, recorder, client);

        await check.WaitForIdenticalStoresAsync();
        await check.ReadEveryKeyEverywhereAsync([Key]);

        var result = LinearizabilityChecker.Check(recorder.ToHistory());
        result.Verdict.Should().Be(Verdict.NotLinearizable);
        result.Describe().Should().Contain($"Set({Key}, phantom) → ok").And.Contain($"Get({Key}) → real");
    }

    [Fact]
    public async Task A_paused_member_answers_nothing_until_it_is_resumed()
    {
        var cluster = shared.Cluster;
        var member = cluster.Members[1];
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };

        member.Pause();
        var whilePaused = () => impatient.GetAsync(new Uri(member.ClientUrl, "/health"));
        await whilePaused.Should().ThrowAsync<TaskCanceledException>();
        member.Resume();

        await cluster.WaitUntilHealthyAsync(member);
        member.IsPaused.Should().BeFalse();
    }

    [Theory]
    [InlineData(HttpStatusCode.PreconditionFailed, """{"errorCode":101,"message":"Compare failed","cause":"[x != y]","index":7}""", ResultKind.CompareFailed)]
    [InlineData(HttpStatusCode.NotFound, """{"errorCode":100,"message":"Key not found","cause":"/nemesis-0","index":7}""", ResultKind.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError, """{"errorCode":300,"message":"Raft Internal Error","cause":"etcdserver: request timed out","index":7}""", ResultKind.Unknown)]
    [InlineData(HttpStatusCode.InternalServerError, """{"errorCode":301,"message":"During Leader Election","index":7}""", ResultKind.Unknown)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "", ResultKind.Unknown)]
    [InlineData(HttpStatusCode.OK, """{"action":"compareAndSwap","node":{"key":"/nemesis-0","value":"v","modifiedIndex":8,"createdIndex":3}}""", ResultKind.Ok)]
    public void A_swap_answer_maps_to_the_register_output_and_only_server_side_failures_are_unknown(HttpStatusCode status, string body, ResultKind expected)
    {
        KeyOperationClient.Interpret(OperationInput.CompareAndSwap(Key, "x", "v"), status, body).Kind.Should().Be(expected);
    }

    [Fact]
    public void An_answer_no_register_operation_can_get_fails_the_run_instead_of_counting_as_unknown()
    {
        var badRequest = () => KeyOperationClient.Interpret(OperationInput.Set(Key, "v"), HttpStatusCode.BadRequest,
            """{"errorCode":209,"message":"Invalid field","index":0}""");

        badRequest.Should().Throw<InvalidOperationException>().WithMessage("*400*");
    }

    [Fact]
    public void A_quorum_read_reports_the_value_it_read()
    {
        KeyOperationClient.Interpret(OperationInput.Get(Key), HttpStatusCode.OK,
            """{"action":"get","node":{"key":"/nemesis-0","value":"c1.4","modifiedIndex":8,"createdIndex":3}}""")
            .Should().Be(OperationOutput.Read("c1.4"));
    }

    [Fact]
    public void Only_reads_without_an_answer_are_dropped_before_checking_and_a_lost_write_is_still_caught()
    {
        var history = LostWriteHistory(finalRead: "a").ToHistory().ToList();
        history.Add(Operation.Abandoned(3, 50, OperationInput.Get(Key)));

        var reduced = UnansweredReads.Drop(history);

        reduced.Should().HaveCount(history.Count - 1).And.Contain(o => o.IsUnknown && o.Input.Kind == OperationKind.CompareAndSwap);
        LinearizabilityChecker.Check(reduced).Verdict.Should().Be(Verdict.NotLinearizable);
    }

    [Fact]
    public void Digests_agree_only_when_index_and_hash_both_match()
    {
        var a = new StoreDigest { Index = 10, Sha256 = "aa" };

        DigestAgreement.AllEqual([a, a with { }, a with { }]).Should().BeTrue();
        DigestAgreement.AllEqual([a, a with { Sha256 = "bb" }, a]).Should().BeFalse();
        DigestAgreement.AllEqual([a, a, a with { Index = 11 }]).Should().BeFalse();
    }

    /// <summary>
    /// Two acknowledged sets of one key, one after the other, a swap whose response was lost, another key's write,
    /// and a final read of <paramref name="finalRead"/> after everything returned.
    /// </summary>
    private static HistoryRecorder LostWriteHistory(string finalRead)
    {
        var now = 0L;
        var recorder = new HistoryRecorder(() => now);
        var first = recorder.Call(0, OperationInput.Set(Key, "a"));
        now = 10;
        first.ReturnOk();
        now = 20;
        var second = recorder.Call(1, OperationInput.Set(Key, "b"));
        var other = recorder.Call(2, OperationInput.Set("/nemesis-1", "x"));
        now = 30;
        second.ReturnOk();
        other.ReturnOk();
        now = 35;
        recorder.Call(2, OperationInput.CompareAndSwap(Key, "b", "c")).ReturnUnknown();
        now = 100;
        var read = recorder.Call(ConvergenceCheck.FinalReaderId, OperationInput.Get(Key));
        var otherRead = recorder.Call(ConvergenceCheck.FinalReaderId, OperationInput.Get("/nemesis-1"));
        now = 110;
        read.ReturnRead(finalRead);
        otherRead.ReturnRead("x");
        return recorder;
    }
}
