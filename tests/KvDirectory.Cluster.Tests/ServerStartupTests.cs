using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests;

/// <summary>What a server process leaves alone in its surroundings.</summary>
public sealed class ServerStartupTests : IDisposable
{
    private readonly TempDataDir _root = new("kvdir-startup");

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
