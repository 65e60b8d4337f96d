using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests.Migration;

/// <summary>
/// <c>migrate --follow</c> keeps carrying a live etcd's writes, deletes, TTL changes and directory removals (and those
/// of the hidden keys it was told about) until it is stopped: the switch-over needs no downtime.
/// </summary>
public sealed class MigrateFollowTests
{
    [Fact]
    public async Task Follow_carries_later_writes_and_deletes()
    {
        await using var etcd = await ServerProcess.StartEtcdAsync();
        var source = new EtcdKeysWriter(etcd.Endpoint);
        await using var target = await ServerProcess.StartKvDirectoryAsync();
        await source.PutAsync("/svc/old", "value=1");
        await source.PutAsync("/svc/dir/a", "value=a");
        await source.PutAsync("/svc/_leader", "value=n1");

        await using var follow = BackgroundKvctl.Start(target.Endpoint, "migrate", "--from", etcd.Endpoint, "--prefix", "/svc", "--hidden", "/svc/_leader", "--follow");
        (await follow.ReadLineAsync(TimeSpan.FromSeconds(60))).Should().StartWith("Copied 3 keys and 2 directories from");

        await source.PutAsync("/svc/new", "value=2");
        await source.PutAsync("/svc/old", "value=1b");
        await source.SendAsync(HttpMethod.Delete, "/svc/old");
        await source.PutAsync("/svc/lease", "value=l&ttl=90");
        await source.PutAsync("/svc/new?prevValue=2", "value=3");
        await source.SendAsync(HttpMethod.Post, "/svc/queue", "value=job");
        await source.SendAsync(HttpMethod.Delete, "/svc/dir?recursive=true");
        await source.PutAsync("/svc/_leader", "value=n2");
        await source.PutAsync("/svc/done", "value=last");

        // Changes of one watch arrive in order; the hidden key has its own watch.
        var lines = await follow.ReadLinesAsync(9);
        var seen = string.Join(" | ", lines);
        string[] expected =
        [
            "set /svc/new", "set /svc/old", "delete /svc/old", "set /svc/lease", "compareAndSwap /svc/new",
            lines.Single(l => l.StartsWith("create /svc/queue/", StringComparison.Ordinal)), "delete /svc/dir", "set /svc/done",
        ];
        lines.Where(l => !l.Contains("_leader", StringComparison.Ordinal)).Should().Equal(expected, seen);
        lines.Should().ContainSingle(l => l == "set /svc/_leader", seen);

        (await TreeSnapshot.ReadAsync(target.Endpoint, "/svc", "/svc/_leader"))
            .ShouldMatch(await TreeSnapshot.ReadAsync(etcd.Endpoint, "/svc", "/svc/_leader"));
    }

    [Fact]
    public async Task A_follower_left_behind_by_the_event_history_copies_again_and_drops_what_was_deleted()
    {
        await using var etcd = await ServerProcess.StartEtcdAsync();
        await using var target = await ServerProcess.StartKvDirectoryAsync();
        var source = new EtcdKeysWriter(etcd.Endpoint);
        await source.PutAsync("/svc/keep", "value=1");
        await source.PutAsync("/svc/doomed", "value=2");

        await using var follow = BackgroundKvctl.Start(target.Endpoint, "migrate", "--from", etcd.Endpoint, "--prefix", "/svc", "--follow");
        (await follow.ReadLineAsync(TimeSpan.FromSeconds(60))).Should().StartWith("Copied 2 keys");

        // Frozen while etcd's 1,000-event history moves on past the follower's next index.
        (await CommandRunner.RunAsync("kill", ["-STOP", TreeSnapshot.Number(follow.ProcessId)])).ExitCode.Should().Be(0);
        try
        {
            // The first change answers the wait already on the wire; the delete after it is lost with the history.
            await source.PutAsync("/svc/busy", "value=first");
            await source.SendAsync(HttpMethod.Delete, "/svc/doomed");
            for (var i = 0; i < 1100; i++)
            {
                await source.PutAsync("/svc/busy", $"value={i}");
            }
        }
        finally
        {
            (await CommandRunner.RunAsync("kill", ["-CONT", TreeSnapshot.Number(follow.ProcessId)])).ExitCode.Should().Be(0);
        }

        // The next wait is answered 401: the subtree is copied again and what the source no longer has is deleted.
        var expected = await TreeSnapshot.ReadAsync(etcd.Endpoint, "/svc");
        expected.Should().NotContain(i => i.Key == "/svc/doomed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await TreeSnapshot.ReadAsync(target.Endpoint, "/svc")).Select(i => (i.Key, i.Value)).SequenceEqual(expected.Select(i => (i.Key, i.Value))))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the follower catches up after the history was cleared");
            await Task.Delay(50);
        }

        (await TreeSnapshot.ReadAsync(target.Endpoint, "/svc")).ShouldMatch(expected);
    }
}
