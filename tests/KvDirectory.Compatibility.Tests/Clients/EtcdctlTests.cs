using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Clients;

/// <summary>
/// etcdctl v2 verbs against etcd and the candidate: the normalised transcripts (stdout, stderr, exit codes) must be
/// identical, and the reference transcript is checked for the facts each test is about so the test can fail.
/// </summary>
[Collection(RealClientCollection.Name)]
public sealed class EtcdctlTests(RealClientPair pair)
{
    [Fact]
    public Task Set_get_mk_update_rm_and_output_formats() => CompareAsync("/ctl-keys", async t =>
    {
        await t.RunAsync("set", "{p}/a", "one");
        await t.RunAsync("get", "{p}/a");
        await t.RunAsync("mk", "{p}/a", "two");
        await t.RunAsync("mk", "{p}/b", "two");
        await t.RunAsync("update", "{p}/a", "three");
        await t.RunAsync("update", "{p}/missing", "x");
        await t.RunAsync("-o", "json", "get", "{p}/a");
        await t.RunAsync("-o", "extended", "get", "{p}/a");
        await t.RunAsync("set", "--ttl", "1000", "{p}/t", "ttl");
        await t.RunAsync("-o", "extended", "get", "{p}/t");
        await t.RunAsync("rm", "{p}/a");
        await t.RunAsync("get", "{p}/a");
    }, reference =>
    {
        reference.Results[1].StandardOutput.Should().Be("one\n");
        reference.Results[2].ExitCode.Should().Be(4);
        reference.Results[2].StandardError.Should().Contain("105: Key already exists");
        reference.Results[11].ExitCode.Should().Be(4, "an API error exits with 4");
        reference.Results[11].StandardError.Should().Contain("100: Key not found");
    });

    [Fact]
    public Task Directories_mkdir_setdir_updatedir_ls_rmdir_and_recursive_rm() => CompareAsync("/ctl-dirs", async t =>
    {
        await t.RunAsync("mkdir", "{p}/d");
        await t.RunAsync("mkdir", "{p}/d");
        await t.RunAsync("setdir", "{p}/e");
        await t.RunAsync("updatedir", "--ttl", "1000", "{p}/e");
        await t.RunAsync("set", "{p}/d/b", "two");
        await t.RunAsync("set", "{p}/d/a", "one");
        await t.RunAsync("set", "{p}/d/c/x", "three");
        await t.RunAsync("ls", "--sort", "{p}/d");
        await t.RunAsync("ls", "--sort", "-r", "{p}");
        await t.RunAsync("ls", "--sort", "-p", "{p}/d");
        await t.RunAsync("rmdir", "{p}/e");
        await t.RunAsync("rmdir", "{p}/d");
        await t.RunAsync("rm", "{p}/d");
        await t.RunAsync("rm", "--recursive", "{p}/d");
        await t.RunAsync("ls", "{p}");
    }, reference =>
    {
        reference.Results[7].StandardOutput.Should().Be("/ctl-dirs/d/a\n/ctl-dirs/d/b\n/ctl-dirs/d/c\n");
        reference.Results[11].ExitCode.Should().Be(4);
        reference.Results[13].ExitCode.Should().Be(0);
    });

    [Fact]
    public Task Mk_in_order_and_sorted_listing() => CompareAsync("/ctl-order", async t =>
    {
        await t.RunAsync("mk", "--in-order", "{p}/q", "one");
        await t.RunAsync("mk", "--in-order", "{p}/q", "two");
        await t.RunAsync("ls", "--sort", "{p}/q");
        await t.RunAsync("get", "{p}/q/{k+2}");
    }, reference => reference.Results[3].StandardOutput.Should().Be("two\n"));

    [Fact]
    public Task Swap_with_value_and_swap_with_index() => CompareAsync("/ctl-swap", async t =>
    {
        await t.RunAsync("set", "{p}/a", "one");
        await t.RunAsync("set", "--swap-with-value", "one", "{p}/a", "two");
        await t.RunAsync("set", "--swap-with-value", "one", "{p}/a", "three");
        await t.RunAsync("set", "--swap-with-index", "{i+2}", "{p}/a", "four");
        await t.RunAsync("set", "--swap-with-index", "{i+2}", "{p}/a", "five");
        await t.RunAsync("rm", "--with-value", "nope", "{p}/a");
        await t.RunAsync("rm", "--with-index", "{i+3}", "{p}/a");
    }, reference =>
    {
        reference.Results[2].StandardError.Should().Contain("101: Compare failed");
        reference.Results[3].ExitCode.Should().Be(0);
        reference.Results[4].ExitCode.Should().Be(4);
        reference.Results[6].ExitCode.Should().Be(0);
    });

    [Fact]
    public Task Member_list_and_cluster_health() => CompareAsync("/ctl-members", async t =>
    {
        await t.RunAsync("member", "list");
        await t.RunAsync("cluster-health");
    }, reference =>
    {
        reference.Results[0].StandardOutput.Should().Contain("isLeader=true");
        reference.Results[1].StandardOutput.Should().Contain("cluster is healthy");
    });

    [Fact]
    public Task Watch_prints_the_concurrent_write_and_exits() => CompareAsync("/ctl-watch", async t =>
    {
        await t.RunAsync("set", "{p}/a", "one");
        var before = await StoreStats.WatcherCountAsync(t.Server.ClientUrl);
        string[] watch = ["watch", "{p}/a"];
        var watching = CommandRunner.RunAsync("/usr/bin/etcdctl", t.Arguments(watch), t.Environment, TimeSpan.FromSeconds(30));

        // etcdctl gives no sign it is watching; the server's watcher count does.
        await StoreStats.WaitForWatchersAboveAsync(t.Server.ClientUrl, before, TimeSpan.FromSeconds(20));
        await t.RunAsync("set", "{p}/a", "two");
        t.Record(watch, await watching);
        await t.RunAsync("watch", "--after-index", "{i+1}", "{p}/a");
    }, reference =>
    {
        reference.Results[2].StandardOutput.Should().Be("two\n");
        reference.Results[2].ExitCode.Should().Be(0);
        reference.Results[3].StandardOutput.Should().Be("two\n");
    });

    private async Task CompareAsync(string prefix, Func<EtcdctlTranscript, Task> commands, Action<EtcdctlTranscript> checkReference)
    {
        var reference = await EtcdctlTranscript.StartAsync(pair.Reference, prefix);
        await commands(reference);
        checkReference(reference);
        var candidate = await EtcdctlTranscript.StartAsync(pair.Candidate, prefix);
        await commands(candidate);
        candidate.Text.Should().Be(reference.Text, $"etcdctl against {pair.Candidate.Kind} must print what it prints against etcd");
    }
}
