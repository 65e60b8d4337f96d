using System.Net;
using System.Net.Sockets;
using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests;

/// <summary>A member of a multi-member cluster whose peer port is taken stops its start, as etcd does: nobody could reach it.</summary>
public sealed class PeerPortStartupTests : IDisposable
{
    private readonly TempDataDir _dataDir = new("kvdir-peer-port");

    [Fact]
    public async Task A_member_whose_peer_port_is_taken_says_so_and_does_not_start()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = $"http://127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}";
        var other = $"http://127.0.0.1:{FreePort.Next()}";

        await using var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments = ServerLaunch.MemberFlags("a", _dataDir.Path, ServerLaunch.FreeLoopbackUrl(), taken, $"a={taken},b={other}"),
        });

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("a member nobody can reach must not run:\n" + process.Output);
        process.ExitCode.Should().Be(1, process.Output);
        process.Output.Should().Contain($"cannot start: cannot listen for peers on 127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}")
            .And.Contain("check --listen-peer-urls");
    }

    public void Dispose() => _dataDir.Dispose();
}
