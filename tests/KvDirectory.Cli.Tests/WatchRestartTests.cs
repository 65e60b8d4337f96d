using KvDirectory.Testing;
namespace KvDirectory.Cli.Tests;

/// <summary>
/// watch --forever across a SIGKILL and restart of the server on the same data dir and port: events written while
/// the watcher is reconnecting are delivered from history, none is lost or printed twice.
/// Runs against the server KVDIR_CLI_SERVER names (ours by default).
/// </summary>
public sealed class WatchRestartTests
{
    [Fact]
    public async Task Watch_forever_survives_a_server_restart_without_losing_or_repeating_events()
    {
        await using var etcd = new RestartableServer(ServerFixture.Kind);
        await etcd.StartAsync();
        const string key = "/restart/k";
        await using var watch = BackgroundKvctl.Start(etcd.Endpoint, "watch", "--forever", key);
        await ServerProbe.WaitForWatchersAsync(etcd.Endpoint, 1);
        await ServerProbe.PutAsync(etcd.Endpoint, key, "before");
        (await watch.ReadLineAsync()).Should().Be("before");

        await etcd.KillAsync();
        await etcd.StartAsync();
        await ServerProbe.PutAsync(etcd.Endpoint, key, "after-1");
        await ServerProbe.PutAsync(etcd.Endpoint, key, "after-2");
        await ServerProbe.WaitForWatchersAsync(etcd.Endpoint, 1);
        await ServerProbe.PutAsync(etcd.Endpoint, key, "after-3");

        (await watch.ReadLinesAsync(3)).Should().Equal("after-1", "after-2", "after-3");
    }

    [Fact]
    public async Task Watch_without_forever_fails_when_the_server_goes_away()
    {
        await using var etcd = new RestartableServer(ServerFixture.Kind);
        await etcd.StartAsync();
        var watch = Tools.KvctlAsync(etcd.Endpoint, "watch", "/gone/k");
        await ServerProbe.WaitForWatchersAsync(etcd.Endpoint, 1);

        await etcd.KillAsync();
        var result = await watch;

        result.ExitCode.Should().Be(4, result.ToString());
        result.StandardError.Should().StartWith("Error:  client: etcd cluster is unavailable or misconfigured; error #0: ");
    }
}
