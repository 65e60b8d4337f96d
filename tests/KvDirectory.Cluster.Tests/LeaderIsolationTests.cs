using System.Diagnostics;
using System.Net;
using System.Text.Json;
using KvDirectory.Testing;
using KvDirectory.Testing.Faults;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A leader cut off from both followers through the proxy mesh: the followers elect a new leader, the old one steps
/// down on its own (check-quorum: it has not heard from a quorum for an election timeout), and a write sent to it
/// while cut off is answered with an error, never acknowledged, and is not in anyone's store once the partition heals.
/// Without check-quorum the old leader keeps leading while cut off — the second test shows the first would catch that.
/// </summary>
public sealed class LeaderIsolationTests(ITestOutputHelper output)
{
    private const int ElectionTimeoutMs = 500;

    /// <summary>
    /// Check-quorum deposes a leader between one and two election timeouts after its followers fell silent; the
    /// deadline is ten, so a loaded machine cannot fail the test, and a leader that never steps down still does.
    /// </summary>
    private static readonly TimeSpan StepDownDeadline = TimeSpan.FromMilliseconds(10 * ElectionTimeoutMs);

    private static readonly string[] Flags =
    [
        "--heartbeat-interval", "50",
        "--election-timeout", ElectionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The isolation lasts until the write sent to the old leader has been answered: it gives up after this.
        "--request-timeout-ms", "3000",
    ];

    [Fact]
    public async Task An_isolated_leader_steps_down_a_new_one_is_elected_and_a_write_sent_to_the_old_one_is_never_acknowledged()
    {
        var seen = await IsolateTheLeaderAsync();

        seen.NewLeader.Should().NotBe(seen.OldLeader);
        seen.OldLeaderSteppedDownAfter.Should().NotBeNull($"check-quorum must depose a leader cut off from its quorum within {StepDownDeadline}");
        ((int?)seen.WriteAnswer).Should().NotBeNull().And.BeGreaterThanOrEqualTo(300, "a leader cut off from its quorum must not acknowledge a write");
        seen.ValuesAfterHealing.Should().AllBe("before", "the write sent to the cut-off leader never committed");
    }

    [Fact]
    public async Task Without_check_quorum_the_isolated_leader_keeps_leading_and_the_isolation_test_would_fail()
    {
        var seen = await IsolateTheLeaderAsync("--disable-check-quorum", "true");

        seen.NewLeader.Should().NotBe(seen.OldLeader, "the followers elect a leader either way");
        seen.OldLeaderSteppedDownAfter.Should().BeNull("nothing tells a cut-off leader to step down but check-quorum");
        // Raft alone still keeps the write from being acknowledged: it is truncated once the old leader hears the new term.
        ((int?)seen.WriteAnswer).Should().BeGreaterThanOrEqualTo(300);
        seen.ValuesAfterHealing.Should().AllBe("before");
    }

    private async Task<Observation> IsolateTheLeaderAsync(params string[] extraFlags)
    {
        await using var cluster = await ThreeNodeCluster.StartAsync(dialThroughProxies: true, [.. Flags, .. extraFlags]);
        var old = await cluster.WaitForLeaderAsync();
        await cluster.PutEventuallyAsync(old, "isolation", "before");
        var followers = cluster.Members.Where(m => m != old).ToArray();

        cluster.Mesh.Isolate(old.Name, FaultMode.Blackhole);
        var clock = Stopwatch.StartNew();
        using var patient = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var write = patient.PutAsync(
            new Uri(old.ClientUrl, "/v2/keys/isolation"),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("value", "sent-to-the-isolated-leader")]));

        ThreeNodeMember? elected = null;
        await cluster.PollAsync("a new leader among the followers", async () =>
        {
            var index = await AgreedLeader.FindAsync(cluster.Http, [.. followers.Select(m => m.ClientUrl)]);
            elected = index is { } i ? followers[i] : null;
            return elected is not null;
        });
        output.WriteLine($"{elected!.Name} elected {clock.Elapsed.TotalMilliseconds:F0} ms after {old.Name} was isolated");

        TimeSpan? steppedDown = null;
        while (clock.Elapsed < StepDownDeadline)
        {
            if (await StateAsync(cluster.Http, old) is { } state && state != "StateLeader")
            {
                steppedDown = clock.Elapsed;
                break;
            }

            await Task.Delay(20);
        }

        output.WriteLine(steppedDown is { } after
            ? $"{old.Name} stepped down {after.TotalMilliseconds:F0} ms after it was isolated (election timeout {ElectionTimeoutMs} ms)"
            : $"{old.Name} still calls itself leader {StepDownDeadline.TotalMilliseconds:F0} ms after it was isolated");
        // Answered (after the request timeout at the latest) while still cut off.
        var answer = await AnswerAsync(write);
        output.WriteLine($"the write sent to {old.Name} answered {answer?.ToString() ?? "nothing"} {clock.Elapsed.TotalMilliseconds:F0} ms after it was isolated");

        cluster.Mesh.HealAll();
        await cluster.WaitForLeaderAsync();
        var values = new List<string?>();
        foreach (var member in cluster.Members)
        {
            values.Add(await cluster.GetAsync(member, "isolation", quorum: true));
        }

        return new Observation(old.Name, elected.Name, steppedDown, answer, values);
    }

    /// <summary>The write's status, or null when the connection failed without an answer.</summary>
    private static async Task<HttpStatusCode?> AnswerAsync(Task<HttpResponseMessage> write)
    {
        try
        {
            using var response = await write;
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string?> StateAsync(HttpClient http, ThreeNodeMember member)
    {
        try
        {
            using var self = JsonDocument.Parse(await http.GetStringAsync(new Uri(member.ClientUrl, "/v2/stats/self")));
            return self.RootElement.GetProperty("state").GetString();
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <param name="ValuesAfterHealing">Each member's quorum read of the key once healed ("before" unless the isolated write landed).</param>
    private sealed record Observation(string OldLeader, string NewLeader, TimeSpan? OldLeaderSteppedDownAfter, HttpStatusCode? WriteAnswer, IReadOnlyList<string?> ValuesAfterHealing);
}
