using KvDirectory.Testing;
namespace KvDirectory.Cli.Tests;

/// <summary>watch and exec-watch: synchronised by polling the server's watcher count, never by sleeping.</summary>
public sealed class WatchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Watch_prints_the_next_change_and_exits()
    {
        var key = Tools.UniquePrefix("watch") + "/k";
        var before = await ServerProbe.SettledWatchersAsync(fixture.Endpoint);
        var watch = Tools.KvctlAsync(fixture.Endpoint, "watch", key);
        await ServerProbe.WaitForWatchersAsync(fixture.Endpoint, before + 1);
        await ServerProbe.PutAsync(fixture.Endpoint, key, "changed");

        var result = await watch;

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Be("changed\n");
    }

    [Fact]
    public async Task Watch_recursive_names_action_and_key_in_extended_format()
    {
        var dir = Tools.UniquePrefix("watchr");
        var before = await ServerProbe.SettledWatchersAsync(fixture.Endpoint);
        var watch = Tools.KvctlAsync(fixture.Endpoint, "-o", "extended", "watch", "--recursive", dir);
        await ServerProbe.WaitForWatchersAsync(fixture.Endpoint, before + 1);
        var index = await ServerProbe.PutAsync(fixture.Endpoint, dir + "/child", "v1");

        var result = await watch;

        result.StandardOutput.Should().Be($"[set] {dir}/child\nKey: {dir}/child\nCreated-Index: {index}\nModified-Index: {index}\nTTL: 0\nIndex: {index - 1}\n\nv1\n");
    }

    [Fact]
    public async Task Watch_after_index_sends_that_index_plus_one_and_replays_history()
    {
        var key = Tools.UniquePrefix("after") + "/k";
        var first = await ServerProbe.PutAsync(fixture.Endpoint, key, "one");
        await ServerProbe.PutAsync(fixture.Endpoint, key, "two");

        var result = await Tools.KvctlAsync(fixture.Endpoint, "--debug", "watch", "--after-index", first.ToString(System.Globalization.CultureInfo.InvariantCulture), key);

        result.StandardOutput.Should().Be("two\n");
        result.StandardError.Should().Contain($"wait=true&waitIndex={first + 1}");
    }

    [Fact]
    public async Task Watch_forever_prints_every_event_in_order_once()
    {
        var key = Tools.UniquePrefix("forever") + "/k";
        var before = await ServerProbe.SettledWatchersAsync(fixture.Endpoint);
        await using var watch = BackgroundKvctl.Start(fixture.Endpoint, "watch", "--forever", key);
        await ServerProbe.WaitForWatchersAsync(fixture.Endpoint, before + 1);
        for (var i = 0; i < 5; i++)
        {
            await ServerProbe.PutAsync(fixture.Endpoint, key, $"v{i}");
        }

        (await watch.ReadLinesAsync(5)).Should().Equal("v0", "v1", "v2", "v3", "v4");
    }

    [Theory]
    [InlineData("-o", "json")]
    [InlineData("-o", "extended")]
    [InlineData("-o", "simple")]
    public async Task Watch_prints_what_etcdctl_watch_prints(string flag, string format)
    {
        var dir = Tools.UniquePrefix("watchp");
        await ServerProbe.PutAsync(fixture.Endpoint, dir + "/k", "old");
        var before = await ServerProbe.SettledWatchersAsync(fixture.Endpoint);
        var ours = Tools.KvctlAsync(fixture.Endpoint, flag, format, "watch", "--recursive", dir);
        var theirs = Tools.EtcdctlAsync(fixture.Endpoint, flag, format, "watch", "--recursive", dir);
        await ServerProbe.WaitForWatchersAsync(fixture.Endpoint, before + 2);
        await ServerProbe.PutAsync(fixture.Endpoint, dir + "/k", "new");

        (await ours).Should().Be(await theirs);
        (await ours).StandardOutput.Should().Contain("new");
    }

    [Fact]
    public async Task Watch_without_a_key_is_a_usage_error()
    {
        var result = await Tools.KvctlAsync(fixture.Endpoint, "watch");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be("Error:  key required\n");
    }

    [Fact]
    public async Task Exec_watch_runs_the_command_with_the_event_in_its_environment()
    {
        var key = Tools.UniquePrefix("exec") + "/k";
        var before = await ServerProbe.SettledWatchersAsync(fixture.Endpoint);
        await using var watch = BackgroundKvctl.Start(
            fixture.Endpoint, "exec-watch", key, "--", "sh", "-c", "echo \"$ETCD_WATCH_ACTION $ETCD_WATCH_KEY $ETCD_WATCH_VALUE $ETCD_WATCH_MODIFIED_INDEX\"");
        await ServerProbe.WaitForWatchersAsync(fixture.Endpoint, before + 1);
        var index = await ServerProbe.PutAsync(fixture.Endpoint, key, "hello");

        (await watch.ReadLineAsync()).Should().Be($"set {key} hello {index}");
    }

    [Fact]
    public async Task Exec_watch_needs_a_key_and_a_command()
    {
        var result = await Tools.KvctlAsync(fixture.Endpoint, "exec-watch", "/only-key");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be("Error:  key and command to exec required\n");
    }
}
