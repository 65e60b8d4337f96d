using System.Diagnostics;
using System.Globalization;
using KvDirectory.Fuzz.Tests.Auth;
using KvDirectory.Fuzz.Tests.Oracles;
using KvDirectory.Testing;
using Xunit.Abstractions;

namespace KvDirectory.Fuzz.Tests;

/// <summary>
/// Seeded random and malformed requests against a running node: no 5xx, etcd's JSON errors, no crash, bounded threads and
/// memory, nothing left behind (watchers, connections), and the store consistent with every acknowledged write afterwards.
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    public const int DefaultSeed = 20261202;

    /// <summary>The short CI run is split between auth off and auth on; <c>KVDIR_FUZZ_REQUESTS</c> / <c>KVDIR_LONG</c> size each.</summary>
    private const int ShortRun = FuzzSettings.ShortRun / 2;

    [Fact]
    public Task Random_and_malformed_requests_never_get_a_5xx_leak_nothing_and_leave_the_store_consistent() =>
        RunAsync(authOn: false);

    /// <summary>
    /// The same with v2 auth on (<see cref="AuthSetup"/>): most requests carry right or wrong credentials, the auth API is
    /// fuzzed too, and writes the credentials may not make are probed: refused with 401 and changing nothing. The setup
    /// must be intact at the end.
    /// </summary>
    [Fact]
    public Task With_auth_on_random_requests_and_credentials_never_get_a_5xx_and_a_refused_write_changes_nothing() =>
        RunAsync(authOn: true);

    private async Task RunAsync(bool authOn)
    {
        var settings = FuzzSettings.FromEnvironment(authOn ? DefaultSeed + 1 : DefaultSeed, ShortRun);
        await using var server = await ServerProcess.StartKvDirectoryAsync();
        using var fuzzClient = new HttpClient { BaseAddress = server.ClientUrl, Timeout = TimeSpan.FromSeconds(30) };
        // The model writes as root when auth is on; the fuzzers' HttpClient requests carry only their own headers.
        using var modelClient = new HttpClient { BaseAddress = server.ClientUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (authOn)
        {
            await AuthSetup.ApplyAsync(fuzzClient);
            modelClient.DefaultRequestHeaders.Authorization = AuthSetup.RootHeader;
        }

        var report = new FuzzReport();
        var model = new StoreModel(modelClient, new Random(settings.Seed));
        var probe = new DeniedWriteProbe(fuzzClient, new Random(settings.Seed + 7));
        using var stop = new CancellationTokenSource();
        var warmAt = settings.Requests / 5;
        var stopwatch = Stopwatch.StartNew();

        var modelLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await model.StepAsync(CancellationToken.None);
                if (authOn)
                {
                    await probe.StepAsync(CancellationToken.None);
                }
            }
        });
        var fuzz = new FuzzRunner(server.ClientUrl, settings, report, fuzzClient, authOn);
        var warmSample = Task.Run(async () =>
        {
            while (report.Requests < warmAt)
            {
                await Task.Delay(50);
            }

            using var sampler = new HttpClient { BaseAddress = server.ClientUrl };
            return await SampleAsync(server, sampler);
        });
        await fuzz.RunAsync(CancellationToken.None);
        var warm = await warmSample;
        await stop.CancelAsync();
        await modelLoop;
        stopwatch.Stop();

        server.HasExited.Should().BeFalse($"the server must survive the fuzz (seed {settings.Seed}):\n{server.Output}");
        fuzzClient.Dispose();
        modelClient.Dispose();
        // Every connection the fuzzers and the model opened is closed now: the server must free the watches parked on
        // them and the connections themselves. The checks go through one connection of their own.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var client = new HttpClient(handler) { BaseAddress = server.ClientUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (authOn)
        {
            client.DefaultRequestHeaders.Authorization = AuthSetup.RootHeader;
        }

        var leaks = new List<string>();
        await WaitForMetricAsync(client, "etcd_debugging_store_watchers", v => v == 0, TimeSpan.FromSeconds(30), leaks);
        await WaitForMetricAsync(client, "kvdirectory_http_open_connections", v => v <= 1, TimeSpan.FromSeconds(30), leaks);
        var end = await SampleAsync(server, client);
        model.UseClient(client);
        var differences = await model.VerifyAsync(CancellationToken.None);
        var whole = await WholeStoreProblemAsync(client);
        var setup = authOn ? await AuthSetup.ProblemsAsync(client) : [];

        var summary = report.Summary(stopwatch.Elapsed) + $"store model: {model.Operations} operations, {differences.Count} differences\n"
            + (authOn ? $"refused writes probed: {probe.Probes}, {probe.Violations.Count} violations\n" + string.Concat(probe.Violations.Take(20).Select(v => "  " + v + "\n")) : "")
            + string.Concat(setup.Select(p => "auth setup changed: " + p + "\n"))
            + $"process at {warmAt} requests: {warm}\nprocess at the end: {end}\n" + string.Concat(leaks.Select(l => "leak: " + l + "\n"))
            + $"recursive GET of the whole store: {whole ?? "parses"}\n"
            + (report.Failures.Count > 0 ? $"the server's log:\n{server.Output}\n" : "");
        output.WriteLine($"auth {(authOn ? "on" : "off")}, seed {settings.Seed}\n{summary}");
        WriteReportFile(settings, authOn, summary);

        report.Failures.Should().BeEmpty($"seed {settings.Seed} (replay with KVDIR_SEED={settings.Seed}):\n{summary}");
        leaks.Should().BeEmpty(summary);
        differences.Should().BeEmpty($"the store must hold every acknowledged write (seed {settings.Seed})");
        probe.Violations.Should().BeEmpty(summary);
        setup.Should().BeEmpty(summary);
        whole.Should().BeNull(summary);
        if (authOn)
        {
            probe.Probes.Should().BeGreaterThan(10, "the refused writes must have been tried:\n" + summary);
            report.Statuses.GetValueOrDefault("401").Should().BeGreaterThan(0, "the fuzz must reach the auth checks:\n" + summary);
        }

        end.Threads.Should().BeLessThanOrEqualTo(Math.Max(warm.Threads * 2, warm.Threads + 64), summary);
        end.ResidentBytes.Should().BeLessThanOrEqualTo(warm.ResidentBytes + (400L << 20), summary);
        end.ManagedHeapBytes.Should().BeLessThanOrEqualTo(warm.ManagedHeapBytes + (300L << 20), summary);
    }

    /// <summary>The whole store read back recursively must be a JSON answer; returns what is wrong with it, or null.</summary>
    private static async Task<string?> WholeStoreProblemAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v2/keys/?recursive=true&sorted=true");
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body, new System.Text.Json.JsonDocumentOptions { MaxDepth = ResponseOracle.MaxDepth });
            return response.IsSuccessStatusCode && document.RootElement.TryGetProperty("node", out _) ? null : $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}";
        }
        catch (System.Text.Json.JsonException error)
        {
            return $"{(int)response.StatusCode} not JSON ({error.Message}): {body[..Math.Min(body.Length, 300)]}";
        }
    }

    private static async Task<ProcessSample> SampleAsync(ServerProcess server, HttpClient client) =>
        ProcessSample.Read(server.ProcessId, (long)await MetricAsync(client, "dotnet_gc_heap_bytes"));

    private static async Task<double> MetricAsync(HttpClient client, string name)
    {
        var text = await client.GetStringAsync("/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a gauge: what the server frees when clients leave has no other outside signal.</summary>
    private static async Task WaitForMetricAsync(HttpClient client, string name, Func<double, bool> done, TimeSpan timeout, List<string> leaks)
    {
        var deadline = DateTime.UtcNow + timeout;
        double value;
        while (!done(value = await MetricAsync(client, name)))
        {
            if (DateTime.UtcNow > deadline)
            {
                leaks.Add($"{name} stayed at {value} for {timeout.TotalSeconds} s after every client left");
                return;
            }

            await Task.Delay(100);
        }
    }

    private static void WriteReportFile(FuzzSettings settings, bool authOn, string summary)
    {
        if (Environment.GetEnvironmentVariable("KVDIR_FUZZ_REPORT") is { Length: > 0 } path)
        {
            path = authOn ? Path.ChangeExtension(path, ".auth" + Path.GetExtension(path)) : path;
            File.WriteAllText(path, $"auth {(authOn ? "on" : "off")}, seed {settings.Seed}, {settings.Requests} requests, {settings.Workers} workers\n{summary}");
        }
    }
}
