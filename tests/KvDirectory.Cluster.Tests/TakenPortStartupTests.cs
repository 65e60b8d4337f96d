using System.Net;
using System.Net.Sockets;
using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A server whose client port is taken, or a member of a multi-member cluster whose peer port is taken, stops its start
/// with one line naming the flag, as etcd does: nobody could reach it.
/// </summary>
public sealed class TakenPortStartupTests : IDisposable
{
    private readonly TempDataDir _dataDir = new("kvdir-taken-port");

    [Fact]
    public async Task A_member_whose_peer_port_is_taken_says_so_and_does_not_start()
    {
        using var squatter = Squat(out var port);
        var taken = $"http://127.0.0.1:{port}";
        var other = $"http://127.0.0.1:{FreePort.Next()}";

        var output = await ExitOutputAsync(ServerLaunch.MemberFlags("a", _dataDir.Path, ServerLaunch.FreeLoopbackUrl(), taken, $"a={taken},b={other}"));

        output.Should().Contain($"cannot start: cannot listen for peers on 127.0.0.1:{port}").And.Contain("check --listen-peer-urls");
    }

    [Fact]
    public async Task A_server_whose_client_port_is_taken_says_so_in_one_line_and_exits()
    {
        using var squatter = Squat(out var port);

        var output = await ExitOutputAsync(ServerLaunch.SingleMemberFlags(_dataDir.Path, $"http://127.0.0.1:{port}", ServerLaunch.FreeLoopbackUrl()));

        output.Should().Contain($"kvdirectory: cannot start: cannot listen for clients on http://127.0.0.1:{port}: Address already in use; check --listen-client-urls")
            .And.NotContain("   at ", "no stack trace");
    }

    public void Dispose() => _dataDir.Dispose();

    private static TcpListener Squat(out int port)
    {
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        return squatter;
    }

    /// <summary>Starts our server with <paramref name="arguments"/> and returns its output once it exited with 1.</summary>
    private static async Task<string> ExitOutputAsync(IReadOnlyList<string> arguments)
    {
        await using var process = LaunchedServer.Start(new ServerLaunch { Kind = ServerLaunch.KvDirectory, Arguments = arguments });
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("a server nobody can reach must not run:\n" + process.Output);
        process.ExitCode.Should().Be(1, process.Output);
        return process.Output;
    }
}
