using System.Collections.Concurrent;
using System.Globalization;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>SIGTERM while clients write or watch: the node drains, exits 0 by itself, and keeps every write it acknowledged.</summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SIGTERM_with_parked_watches_ends_them_and_exits_without_waiting_out_the_shutdown_timeout()
    {
        using var dataDir = new TempDataDir("kvdir-term-watch");
        await using var node = await NodeProcess.StartAsync(dataDir);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var watches = new[] { "/v2/keys/parked?wait=true", "/v2/keys/dir?wait=true&recursive=true&stream=true" }
            .Select(path => http.GetAsync(new Uri(node.ClientUrl, path), HttpCompletionOption.ResponseHeadersRead))
            .ToList();
        // A watch answers its headers once it is registered: both are parked now.
        var parked = await Task.WhenAll(watches);
        parked.Should().OnlyContain(r => r.IsSuccessStatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await node.TerminateAsync();
        var exited = await node.WaitForExitAsync(TimeSpan.FromSeconds(10));

        exited.Should().BeTrue($"a parked watch must not hold the stop for the host's 30 s shutdown timeout\n{node.Output}");
        node.ExitCode.Should().Be(0, node.Output);
        output.WriteLine($"exited {clock.ElapsedMilliseconds} ms after SIGTERM");
        foreach (var response in parked)
        {
            // Ended the way etcd ends a watch its store dropped: the answer closes without an event.
            (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
            response.Dispose();
        }
    }

    [Fact]
    public async Task SIGTERM_during_writes_exits_with_0_within_seconds_and_every_acknowledged_write_is_there_after_restart()
    {
        var seed = TestSeed.Next();
        var repro = TestSeed.Repro(seed, nameof(SIGTERM_during_writes_exits_with_0_within_seconds_and_every_acknowledged_write_is_there_after_restart));
        output.WriteLine($"seed {seed}; {repro}");
        var random = new Random(seed);
        var writers = random.Next(8, 17);
        var terminateAfter = random.Next(100, 600);
        using var dataDir = new TempDataDir("kvdir-term");
        var acknowledged = new ConcurrentDictionary<string, (string Value, long Index)>(StringComparer.Ordinal);
        var moment = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acks = 0;
        var stop = false;

        await using (var node = await NodeProcess.StartAsync(dataDir))
        {
            using var client = new KeysClient(node.ClientUrl, writers, TimeSpan.FromSeconds(20));
            var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !Volatile.Read(ref stop); i++)
                {
                    var key = string.Create(CultureInfo.InvariantCulture, $"/term/{w}/{i}");
                    try
                    {
                        var response = await client.PutAsync(key, key + "-value", ttl: i % 5 == 0 ? 3600 : null);
                        if (response.IsSuccess)
                        {
                            acknowledged[key] = (key + "-value", response.ModifiedIndex);
                            if (Interlocked.Increment(ref acks) == terminateAfter)
                            {
                                moment.TrySetResult();
                            }
                        }
                    }
                    catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                    {
                        return;
                    }
                }
            })));

            await moment.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await node.TerminateAsync();
            var exited = await node.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Volatile.Write(ref stop, true);
            await writing;

            exited.Should().BeTrue($"SIGTERM stops the node by itself within 10 s; {repro}\n{node.Output}");
            node.ExitCode.Should().Be(0, $"a requested shutdown is not a failure; {repro}\n{node.Output}");
        }

        output.WriteLine($"{acknowledged.Count} writes acknowledged before and during the shutdown");
        await using var restarted = await NodeProcess.StartAsync(dataDir);
        using var reader = new KeysClient(restarted.ClientUrl, 1);
        var stored = StoredKey.Flatten(await reader.GetAsync("/", recursive: true));
        foreach (var (key, (value, index)) in acknowledged)
        {
            stored.Should().ContainKey(key, $"it was acknowledged before the shutdown; {repro}");
            stored[key].Value.Should().Be(value);
            stored[key].ModifiedIndex.Should().Be(index);
        }
    }
}
