using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// The floors can fail: a run that acknowledges nothing, swaps nothing, answers mostly "unknown" or misses a fault
/// kind is refused, and the server errors behind unknown outcomes are counted by code.
/// </summary>
public sealed class NemesisFloorTests
{
    private static readonly NemesisTally Healthy = new()
    {
        Operations = 1_000,
        AcknowledgedWrites = 400,
        SuccessfulSwaps = 60,
        Unknown = 50,
        ServerErrors = new Dictionary<string, int> { ["300"] = 3, ["301"] = 7 },
        Faults = Enum.GetValues<NemesisFaultKind>().ToDictionary(k => k, _ => 1),
    };

    [Fact]
    public void A_run_with_writes_swaps_few_unknowns_and_every_fault_kind_meets_the_floors() =>
        NemesisFloors.Default.Violations(Healthy).Should().BeEmpty();

    [Theory]
    [InlineData("writes")]
    [InlineData("swaps")]
    [InlineData("unknown")]
    [InlineData("fault")]
    [InlineData("nothing")]
    public void A_run_short_of_one_floor_is_refused_and_says_which(string shortOf)
    {
        var tally = shortOf switch
        {
            "writes" => Healthy with { AcknowledgedWrites = NemesisFloors.Default.MinAcknowledgedWrites - 1 },
            "swaps" => Healthy with { SuccessfulSwaps = 0 },
            "unknown" => Healthy with { Unknown = 600 },
            "fault" => Healthy with { Faults = Healthy.Faults.Where(p => p.Key != NemesisFaultKind.Pause).ToDictionary() },
            _ => Healthy with { Operations = 0, AcknowledgedWrites = 0, SuccessfulSwaps = 0, Unknown = 0 },
        };
        var expected = shortOf switch
        {
            "writes" or "nothing" => "*acknowledged writes, fewer than*",
            "swaps" => "*successful compare-and-swaps, fewer than*",
            "unknown" => "*600 of 1000 outcomes unknown*",
            _ => "*no Pause fault injected*",
        };

        NemesisFloors.Default.Violations(tally).Should().ContainMatch(expected);
    }

    [Fact]
    public async Task A_cluster_answering_every_write_with_error_300_fails_the_floors_with_its_errors_counted()
    {
        // Reads answer 301 (leader election), writes 300 (raft internal error): every outcome unknown, nothing acknowledged.
        await using var broken = new FakeMember(request => request.HttpMethod == "GET"
            ? (500, """{"errorCode":301,"message":"During Leader Election","index":0}""")
            : (500, """{"errorCode":300,"message":"Raft Internal Error","cause":"etcdserver: request timed out","index":0}"""));
        var recorder = new HistoryRecorder();
        using var client = new KeyOperationClient(NemesisRun.ClientTimeout, 2);
        var workload = new NemesisWorkload(() => [broken.ClientUrl], recorder, client, seed: 7, ["/nemesis-0", "/nemesis-1"]);
        using var stop = new CancellationTokenSource();

        var running = workload.RunAsync(2, stop.Token);
        // Enough answers to judge by, however loaded the machine; each client backs off 50–250 ms after an unknown.
        while (workload.Completed < 20)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await running;

        var tally = new NemesisTally
        {
            Operations = workload.Completed,
            AcknowledgedWrites = workload.AcknowledgedWrites,
            SuccessfulSwaps = workload.SuccessfulSwaps,
            Unknown = workload.Unknown,
            ServerErrors = workload.ServerErrors,
            Faults = Healthy.Faults,
        };
        tally.Unknown.Should().Be(tally.Operations);
        (tally.ServerErrors.GetValueOrDefault("300") + tally.ServerErrors.GetValueOrDefault("301")).Should().Be(tally.Operations);
        tally.ServerErrors.Should().ContainKey("300").And.ContainKey("301");
        tally.ToString().Should().Contain("300×").And.Contain("301×").And.Contain("5xx×0");
        NemesisFloors.Default.Violations(tally).Should().ContainMatch("0 acknowledged writes*")
            .And.ContainMatch("0 successful compare-and-swaps*")
            .And.ContainMatch("*outcomes unknown, more than*");
    }

    [Theory]
    [InlineData("""{"errorCode":101,"message":"Compare failed","cause":"[c1.3 != c2.7]","index":9}""", "c2.7")]
    [InlineData("""{"errorCode":101,"message":"Compare failed","cause":"[other != c2.7]","index":9}""", null)]
    [InlineData("""{"errorCode":100,"message":"Key not found","cause":"/nemesis-0","index":9}""", null)]
    public void A_failed_compare_tells_the_client_the_value_it_compared_against(string body, string? expected) =>
        KeyOperationClient.ComparedAgainst(OperationInput.CompareAndSwap("/nemesis-0", "c1.3", "c1.4"), body).Should().Be(expected);

    [Fact]
    public void A_bare_5xx_counts_as_5xx_and_a_compare_failure_is_no_server_error()
    {
        NemesisTally.ErrorClass(new KeyAnswer(OperationOutput.Unknown(), 503, null)).Should().Be("5xx");
        NemesisTally.ErrorClass(new KeyAnswer(OperationOutput.Unknown(), 500, 300)).Should().Be("300");
        NemesisTally.ErrorClass(new KeyAnswer(OperationOutput.CompareFailed(), 412, 101)).Should().BeNull();
        NemesisTally.ErrorClass(new KeyAnswer(OperationOutput.Ok(), 200, null)).Should().BeNull();
    }
}
