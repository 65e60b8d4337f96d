using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Node.Membership;
using KvDirectory.Node.Statistics;

namespace KvDirectory.Node.Tests;

public sealed class FollowerStatsTrackerTests
{
    private const ulong B = 0xb;
    private const ulong C = 0xc;

    private readonly StepClock _clock = new();

    [Fact]
    public void A_follower_never_answered_shows_zero_counts_and_etcds_unset_minimum()
    {
        var tracker = new FollowerStatsTracker(_clock);

        var stats = tracker.Snapshot([B])[B];

        stats.Counts.Should().Be(new CountStatistics { Success = 0, Fail = 0 });
        stats.Latency.Should().Be(new LatencyStatistics { Minimum = FollowerStatsTracker.UnsetMinimum });
    }

    [Fact]
    public void Each_answer_is_timed_from_the_oldest_waiting_send_of_its_kind()
    {
        var tracker = new FollowerStatsTracker(_clock);

        tracker.RequestSent(B, FollowerRequestKind.Append);
        _clock.AdvanceMilliseconds(1);
        tracker.RequestSent(B, FollowerRequestKind.Heartbeat);
        _clock.AdvanceMilliseconds(1);
        tracker.RequestSent(B, FollowerRequestKind.Append);
        _clock.AdvanceMilliseconds(2);
        tracker.ResponseReceived(B, FollowerRequestKind.Heartbeat, rejected: false); // 3 ms
        tracker.ResponseReceived(B, FollowerRequestKind.Append, rejected: false); // 4 ms
        _clock.AdvanceMilliseconds(4);
        tracker.ResponseReceived(B, FollowerRequestKind.Append, rejected: false); // 6 ms

        var stats = tracker.Snapshot([B])[B];
        stats.Counts.Should().Be(new CountStatistics { Success = 3, Fail = 0 });
        stats.Latency.Current.Should().BeApproximately(6, 1e-9);
        stats.Latency.Minimum.Should().BeApproximately(3, 1e-9);
        stats.Latency.Maximum.Should().BeApproximately(6, 1e-9);
        stats.Latency.Average.Should().BeApproximately(13.0 / 3, 1e-9);
        // Population deviation of {3, 4, 6}.
        stats.Latency.StandardDeviation.Should().BeApproximately(Math.Sqrt(((3 * 3) + (4 * 4) + (6 * 6)) / 3.0 - (13.0 / 3 * 13.0 / 3)), 1e-9);
    }

    [Fact]
    public void Identical_latencies_have_no_deviation_to_within_rounding_and_never_NaN()
    {
        var tracker = new FollowerStatsTracker(_clock);
        for (var i = 0; i < 50; i++)
        {
            tracker.RequestSent(B, FollowerRequestKind.Heartbeat);
            _clock.AdvanceMilliseconds(0.1);
            tracker.ResponseReceived(B, FollowerRequestKind.Heartbeat, rejected: false);
        }

        var latency = tracker.Snapshot([B])[B].Latency;
        double.IsNaN(latency.StandardDeviation).Should().BeFalse();
        latency.StandardDeviation.Should().BeApproximately(0, 1e-6);
        latency.Average.Should().BeApproximately(0.1, 1e-9);
    }

    [Fact]
    public void A_rejected_append_is_a_failure_and_an_answer_nothing_waits_for_is_ignored()
    {
        var tracker = new FollowerStatsTracker(_clock);

        tracker.ResponseReceived(B, FollowerRequestKind.Append, rejected: false);
        tracker.RequestSent(B, FollowerRequestKind.Append);
        tracker.ResponseReceived(B, FollowerRequestKind.Append, rejected: true);

        tracker.Snapshot([B])[B].Counts.Should().Be(new CountStatistics { Success = 0, Fail = 1 });
    }

    [Fact]
    public void A_failed_send_counts_once_and_discards_what_was_waiting_for_an_answer()
    {
        var tracker = new FollowerStatsTracker(_clock);
        tracker.RequestSent(B, FollowerRequestKind.Append);
        tracker.RequestSent(B, FollowerRequestKind.Heartbeat);

        tracker.SendFailed(B);
        tracker.ResponseReceived(B, FollowerRequestKind.Append, rejected: false);
        tracker.ResponseReceived(B, FollowerRequestKind.Heartbeat, rejected: false);

        tracker.Snapshot([B])[B].Counts.Should().Be(new CountStatistics { Success = 0, Fail = 1 });
    }

    [Fact]
    public void Losing_leadership_forgets_waiting_sends_but_keeps_the_counts()
    {
        var tracker = new FollowerStatsTracker(_clock);
        tracker.RequestSent(B, FollowerRequestKind.Heartbeat);
        tracker.ResponseReceived(B, FollowerRequestKind.Heartbeat, rejected: false);
        tracker.RequestSent(B, FollowerRequestKind.Heartbeat);

        tracker.ForgetWaiting();
        tracker.ResponseReceived(B, FollowerRequestKind.Heartbeat, rejected: false);

        tracker.Snapshot([B])[B].Counts.Success.Should().Be(1);
    }

    [Fact]
    public void Followers_are_kept_apart_and_one_that_left_the_cluster_disappears_for_good()
    {
        var tracker = new FollowerStatsTracker(_clock);
        tracker.RequestSent(B, FollowerRequestKind.Heartbeat);
        tracker.RequestSent(C, FollowerRequestKind.Heartbeat);
        tracker.ResponseReceived(B, FollowerRequestKind.Heartbeat, rejected: false);
        tracker.SendFailed(C);

        var both = tracker.Snapshot([B, C]);
        both[B].Counts.Should().Be(new CountStatistics { Success = 1, Fail = 0 });
        both[C].Counts.Should().Be(new CountStatistics { Success = 0, Fail = 1 });

        tracker.Snapshot([B]).Keys.Should().Equal(B);
        tracker.Snapshot([B, C])[C].Counts.Should().Be(new CountStatistics(), "C came back as a new member");
    }

    [Fact]
    public void The_waiting_queue_is_bounded_by_dropping_the_oldest_send()
    {
        var tracker = new FollowerStatsTracker(_clock, maxWaitingPerKind: 2);
        tracker.RequestSent(B, FollowerRequestKind.Append); // dropped
        _clock.AdvanceMilliseconds(10);
        tracker.RequestSent(B, FollowerRequestKind.Append);
        tracker.RequestSent(B, FollowerRequestKind.Append);
        _clock.AdvanceMilliseconds(1);

        tracker.ResponseReceived(B, FollowerRequestKind.Append, rejected: false);

        tracker.Snapshot([B])[B].Latency.Current.Should().BeApproximately(1, 1e-9);
    }
}

public sealed class RaftStatisticsTests
{
    private const ulong Self = 0xa;
    private const ulong B = 0xb;

    private readonly StepClock _clock = new();

    [Fact]
    public void Appends_sent_and_received_are_counted_and_only_appends_and_heartbeats_are_timed()
    {
        var stats = new RaftStatistics(new NodeInfo(_clock), _clock);
        var entry = new Entry(1, 1, EntryType.Normal, new byte[100]);

        stats.MessageSent(new Message { Type = MessageType.MsgApp, From = Self, To = B, Entries = [entry] });
        stats.MessageSent(new Message { Type = MessageType.MsgVote, From = Self, To = B });
        _clock.AdvanceMilliseconds(2);
        stats.MessageReceived(new Message { Type = MessageType.MsgAppResp, From = B, To = Self });
        stats.MessageReceived(new Message { Type = MessageType.MsgVoteResp, From = B, To = Self });
        stats.MessageReceived(new Message { Type = MessageType.MsgApp, From = B, To = Self });

        stats.SentAppendRequests.Should().Be(1);
        stats.ReceivedAppendRequests.Should().Be(1);
        var follower = stats.Followers.Snapshot([B])[B];
        follower.Counts.Success.Should().Be(1);
        follower.Latency.Current.Should().BeApproximately(2, 1e-9);
    }

    [Fact]
    public void An_unreachable_peer_is_a_follower_failure()
    {
        var stats = new RaftStatistics(new NodeInfo(_clock), _clock);

        stats.PeerUnreachable(B);

        stats.Followers.Snapshot([B])[B].Counts.Fail.Should().Be(1);
    }

    [Fact]
    public void The_leader_start_time_moves_only_when_a_different_member_leads()
    {
        var node = new NodeInfo(_clock);
        var stats = new RaftStatistics(node, _clock);

        _clock.Advance(TimeSpan.FromSeconds(5));
        stats.LeadershipChanged(B, isLocalLeader: false);
        var firstLeaderSince = node.LeaderSince;
        firstLeaderSince.Should().Be(_clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromSeconds(5));
        stats.LeadershipChanged(0, isLocalLeader: false);
        stats.LeadershipChanged(B, isLocalLeader: false);
        node.LeaderSince.Should().Be(firstLeaderSince, "the same leader was re-elected");

        _clock.Advance(TimeSpan.FromSeconds(5));
        stats.LeadershipChanged(Self, isLocalLeader: true);
        node.LeaderSince.Should().Be(_clock.GetUtcNow());
    }
}

public sealed class RequestRateWindowTests
{
    private readonly StepClock _clock = new();

    [Fact]
    public void The_rate_spans_the_oldest_to_the_newest_request_and_is_zero_after_a_quiet_second()
    {
        var window = new RequestRateWindow(_clock);
        window.Rate().Should().Be((0d, 0d));

        window.Add(100);
        window.Rate().Should().Be((0d, 0d), "one request spans no time");
        _clock.AdvanceMilliseconds(500);
        window.Add(300);

        var (packages, bytes) = window.Rate();
        packages.Should().BeApproximately(4, 1e-9);
        bytes.Should().BeApproximately(800, 1e-9);

        _clock.AdvanceMilliseconds(1_001);
        window.Rate().Should().Be((0d, 0d));
    }

    [Fact]
    public void Only_the_last_two_hundred_requests_count()
    {
        var window = new RequestRateWindow(_clock);
        window.Add(1_000_000);
        for (var i = 0; i < RequestRateWindow.Capacity; i++)
        {
            _clock.AdvanceMilliseconds(1);
            window.Add(10);
        }

        var (packages, bytes) = window.Rate();
        packages.Should().BeApproximately(RequestRateWindow.Capacity / 0.199, 1e-6);
        bytes.Should().BeApproximately(RequestRateWindow.Capacity * 10 / 0.199, 1e-6);
    }
}
