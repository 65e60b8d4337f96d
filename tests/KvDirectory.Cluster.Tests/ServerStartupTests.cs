using System.Net;
using System.Net.Sockets;
using KvDirectory.Testing;
using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests;

/// <summary>What a server process does with its surroundings at start: a taken client port, its working directory.</summary>
public sealed class ServerStartupTests : IDisposable
{
    private readonly TempDataDir _root = new("kvdir-startup");

    [Fact]
    public async Task A_server_whose_client_port_is_taken_says_so_in_one_line_and_exits()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await using var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments = ServerLaunch.SingleMemberFlags(Path.Combine(_root.Path, "data"), $"http://127.0.0.1:{port}", ServerLaunch.FreeLoopbackUrl()),
        });

        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("a server nobody can reach must not run:\n" + process.Output);
        process.ExitCode.Should().Be(1, process.Output);
        process.Output.Should().Contain($"kvdirectory: cannot start: cannot listen for clients on http://127.0.0.1:{port}: Address already in use; check --listen-client-urls")
            .And.NotContain("   at ", "no stack trace");
    }

    [Fact]
    public async Task A_server_puts_no_file_watch_on_its_working_directory_where_its_data_dir_lies()
    {
        // As the README runs it: data in ./data under the working directory. A watch there woke a thread on every WAL write.
        var clientUrl = ServerLaunch.FreeLoopbackUrl();
        await using var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments = ServerLaunch.SingleMemberFlags("data", clientUrl, ServerLaunch.FreeLoopbackUrl()),
            WorkingDirectory = _root.Path,
        });
        await process.WaitUntilHealthyAsync(new Uri(clientUrl), TimeSpan.FromSeconds(60));

        Directory.Exists(Path.Combine(_root.Path, "data", "member", "wal")).Should().BeTrue("the data dir is relative to the working directory");
        var inotify = new DirectoryInfo($"/proc/{process.ProcessId}/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget?.Contains("inotify", StringComparison.Ordinal) == true);
        inotify.Should().Be(0, "nothing the server reads changes under its working directory");
    }

    public void Dispose() => _root.Dispose();
}
