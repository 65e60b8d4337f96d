using System.Net.Sockets;
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

    [Fact]
    public async Task A_server_replaces_itself_in_place_so_the_request_path_skips_precompiled_code()
    {
        // The runtime reads its ReadyToRun exclusion list only from the environment: the server execs itself once with
        // it set. Whoever started it must still see one process: same PID, same arguments, diagnostics reachable.
        var clientUrl = ServerLaunch.FreeLoopbackUrl();
        var arguments = ServerLaunch.SingleMemberFlags(Path.Combine(_root.Path, "exec"), clientUrl, ServerLaunch.FreeLoopbackUrl());
        await using var process = LaunchedServer.Start(new ServerLaunch { Kind = ServerLaunch.KvDirectory, Arguments = arguments });
        await process.WaitUntilHealthyAsync(new Uri(clientUrl), TimeSpan.FromSeconds(60));

        ReadEnvironment(process.ProcessId).Should().ContainKey(ExcludeListVariable)
            .WhoseValue.Should().Contain("Microsoft.AspNetCore.Server.Kestrel.Core").And.Contain("System.Net.Sockets");
        var commandLine = File.ReadAllText($"/proc/{process.ProcessId}/cmdline")[..^1].Split('\0'); // each argument ends with a NUL
        commandLine.Should().EndWith(arguments, "the new image runs with the arguments the process was started with");
        File.ReadAllText($"/proc/{process.ProcessId}/comm").Trim().Should().Be("dotnet", "ps and top still name it after its executable");

        var diagnostics = Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{process.ProcessId}-*-socket");
        diagnostics.Should().ContainSingle("dotnet-counters and dotnet-trace find the process by its PID");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(diagnostics[0]));
        socket.Connected.Should().BeTrue("the new runtime listens on the diagnostics socket the old one left");
    }

    [Fact]
    public async Task A_server_started_with_its_own_exclusion_list_keeps_it()
    {
        // An operator's value wins, empty included (empty: every precompiled method is used, nothing is re-executed).
        var clientUrl = ServerLaunch.FreeLoopbackUrl();
        await using var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments = ServerLaunch.SingleMemberFlags(Path.Combine(_root.Path, "own"), clientUrl, ServerLaunch.FreeLoopbackUrl()),
            Environment = new Dictionary<string, string> { [ExcludeListVariable] = string.Empty },
        });
        await process.WaitUntilHealthyAsync(new Uri(clientUrl), TimeSpan.FromSeconds(60));

        ReadEnvironment(process.ProcessId).Should().ContainKey(ExcludeListVariable).WhoseValue.Should().BeEmpty();
    }

    private const string ExcludeListVariable = "DOTNET_ReadyToRunExcludeList";

    private static Dictionary<string, string> ReadEnvironment(int processId) =>
        File.ReadAllText($"/proc/{processId}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty);

    public void Dispose() => _root.Dispose();
}
