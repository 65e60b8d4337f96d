using System.Net.Sockets;
using KvDirectory.Transport;

namespace KvDirectory.Transport.Tests;

public sealed class PeerDialPolicyTests
{
    [Fact]
    public async Task Failed_dials_are_retried_until_one_succeeds_and_each_failure_is_reported()
    {
        var failures = new List<Exception>();
        var policy = PeerDialPolicy.Create(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), failures.Add);
        var attempts = 0;

        var result = await policy.ExecuteAsync(_ =>
        {
            attempts++;
            return attempts < 4 ? throw new SocketException((int)SocketError.ConnectionRefused) : ValueTask.FromResult("connected");
        });

        result.Should().Be("connected");
        failures.Should().HaveCount(3).And.AllBeOfType<SocketException>();
    }

    [Fact]
    public async Task A_failure_once_the_node_is_stopping_is_not_retried_and_surfaces_as_it_is()
    {
        var policy = PeerDialPolicy.Create(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), _ => { });
        using var stopping = new CancellationTokenSource();
        var attempts = 0;

        var dial = () => policy.ExecuteAsync(_ =>
        {
            attempts++;
            stopping.Cancel();
            throw new SocketException((int)SocketError.ConnectionRefused);
#pragma warning disable CS0162 // the lambda must have the operation's type
            return ValueTask.FromResult(0);
#pragma warning restore CS0162
        }, stopping.Token).AsTask();

        // Why the peer connection's loop treats any error as "stopped" once its token is cancelled.
        await dial.Should().ThrowAsync<SocketException>();
        attempts.Should().Be(1);
    }

    [Fact]
    public async Task A_programming_error_is_not_mistaken_for_an_unreachable_peer()
    {
        var policy = PeerDialPolicy.Create(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), _ => { });
        var attempts = 0;

        var dial = () => policy.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new ArgumentException("bug");
        }).AsTask();

        await dial.Should().ThrowAsync<ArgumentException>();
        attempts.Should().Be(1);
    }
}
