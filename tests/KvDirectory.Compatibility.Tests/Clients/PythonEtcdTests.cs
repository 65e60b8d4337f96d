using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Clients;

/// <summary>
/// python-etcd, unmodified (Debian's /usr/bin/python3, not the pyenv one), runs the same script against etcd and the
/// candidate. Scripts print only index-free facts, so the two outputs must be identical and equal to what is expected.
/// </summary>
[Collection(RealClientCollection.Name)]
public sealed class PythonEtcdTests(RealClientPair pair)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public Task Read_write_test_and_set_and_delete() => RunBothAsync("read_write", """
        write set one True True
        overwrite set two False one
        read two two
        test_and_set compareAndSwap three
        test_and_set failed EtcdCompareFailed
        update missing EtcdKeyNotFound
        create existing EtcdAlreadyExist
        prevIndex swap compareAndSwap five
        recursive [('/d/x', '1'), ('/d/y/z', '2')]
        contains True False
        delete delete
        read deleted EtcdKeyNotFound
        delete dir EtcdNotFile
        delete recursive delete True
        machines 1 leader True
        """);

    [Fact]
    public Task Watch_timeout_is_a_timeout_and_watches_see_history_and_live_events() => RunBothAsync("watch", """
        watch timeout reported as EtcdWatchTimedOut
        history watch set one
        history watch next set two
        live watch set three
        recursive history watch set /dir/x child
        """);

    [Fact]
    public Task Append_reads_back_sorted_and_refresh_keeps_the_value() => RunBothAsync("append_refresh", """
        append create one True 20
        append create two True 20
        append create three True 20
        sorted ['one', 'two', 'three'] True
        ttl True
        refresh update kept True
        refresh update update kept True
        read after refresh kept
        """);

    [Fact]
    public Task Lock_second_contender_blocks_until_the_first_releases() => RunBothAsync("lock", """
        first acquired True
        order ['first releasing', 'second acquired', 'second released']
        lock dir after release ['/_locks/resource']
        """);

    private async Task RunBothAsync(string script, string expected)
    {
        var reference = await RunAsync(pair.Reference, script);
        var candidate = await RunAsync(pair.Candidate, script);
        var want = expected.ReplaceLineEndings("\n").Trim();
        reference.StandardOutput.ReplaceLineEndings("\n").Trim().Should().Be(want, $"real etcd must behave as the script expects:\n{reference}");
        candidate.StandardOutput.ReplaceLineEndings("\n").Trim().Should().Be(want, $"{pair.Candidate.Kind} must answer python-etcd as etcd does:\n{candidate}");
        candidate.ExitCode.Should().Be(0, candidate.ToString());
    }

    private static async Task<CommandResult> RunAsync(ServerProcess server, string script)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Clients", "python");
        var arguments = new[] { Path.Combine(directory, script + ".py"), server.ClientUrl.Host, server.ClientUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), $"/python-{script}" };
        var result = await CommandRunner.RunAsync(Python, arguments, new Dictionary<string, string?> { ["PYTHONPATH"] = directory, ["PYTHONDONTWRITEBYTECODE"] = "1" }, TimeSpan.FromSeconds(60));
        result.ExitCode.Should().Be(0, $"{script}.py against {server.Kind}:\n{result}");
        return result;
    }
}
