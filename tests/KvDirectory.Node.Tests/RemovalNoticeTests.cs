using System.Diagnostics;
using KvDirectory.Node.Membership;

namespace KvDirectory.Node.Tests;

/// <summary>
/// A member that applied its own removal keeps running for the exit delay before the host is told to shut down (so
/// the others hear the commit, as etcd's one second); a peer's notice tells the host at once; the host hears it once.
/// </summary>
public sealed class RemovalNoticeTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Own_removal_tells_the_host_only_after_the_delay()
    {
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var notice = new RemovalNotice(() => told.SetResult(), Delay, TimeProvider.System);
        var applied = Stopwatch.StartNew();

        notice.AppliedOwnRemoval().Should().BeTrue();

        notice.Removed.Should().BeTrue();
        told.Task.IsCompleted.Should().BeFalse("the host hears of it only after the delay, not while applying");
        await told.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // A timer never fires early (a 1 ms margin for the clocks' granularity); how late it fires is the machine's.
        applied.Elapsed.Should().BeGreaterThanOrEqualTo(Delay - TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void A_peers_notice_tells_the_host_at_once()
    {
        var told = 0;
        using var notice = new RemovalNotice(() => told++, TimeSpan.FromHours(1), TimeProvider.System);

        notice.ToldByPeer().Should().BeTrue();

        told.Should().Be(1);
        notice.Removed.Should().BeTrue();
    }

    [Fact]
    public async Task The_host_is_told_once_whatever_comes_after()
    {
        var told = 0;
        var once = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var notice = new RemovalNotice(() =>
        {
            Interlocked.Increment(ref told);
            once.TrySetResult();
        }, Delay, TimeProvider.System);

        notice.AppliedOwnRemoval().Should().BeTrue();
        notice.AppliedOwnRemoval().Should().BeFalse();
        // A peer's notice during the delay cuts it short; the timer then tells no one.
        notice.ToldByPeer().Should().BeFalse();
        Volatile.Read(ref told).Should().Be(1);
        await once.Task;
        await Task.Delay(Delay * 3);

        Volatile.Read(ref told).Should().Be(1);
    }

    [Fact]
    public void Disposing_before_the_delay_is_up_tells_no_one()
    {
        var told = 0;
        var notice = new RemovalNotice(() => told++, TimeSpan.FromHours(1), TimeProvider.System);

        notice.AppliedOwnRemoval();
        notice.Dispose();

        told.Should().Be(0);
    }
}
