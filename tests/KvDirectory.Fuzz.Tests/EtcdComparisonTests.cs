using System.Diagnostics;
using KvDirectory.Fuzz.Tests.Oracles;
using KvDirectory.Testing;
using Xunit.Abstractions;

namespace KvDirectory.Fuzz.Tests;

/// <summary>
/// The same generator against real etcd 3.4, to learn which inputs etcd itself answers 5xx or non-JSON (the output lists
/// them; see the fuzz section of KNOWN-DIFFERENCES.md). It also proves the harness: etcd must survive, answer, and hold
/// exactly what the store model acknowledged, so a model difference against our server is ours, not the model's.
/// </summary>
public sealed class EtcdComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Etcd_survives_the_same_requests_with_its_store_matching_the_model_and_its_own_5xx_listed()
    {
        var settings = FuzzSettings.FromEnvironment(HttpFuzzTests.DefaultSeed, shortRun: 600);
        settings = settings with { Requests = Math.Min(settings.Requests, 20_000) };
        await using var etcd = await ServerProcess.StartEtcdAsync();
        using var client = new HttpClient { BaseAddress = etcd.ClientUrl, Timeout = TimeSpan.FromSeconds(30) };
        var report = new FuzzReport();
        var model = new StoreModel(client, new Random(settings.Seed));
        using var stop = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        var modelLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await model.StepAsync(CancellationToken.None);
            }
        });

        await new FuzzRunner(etcd.ClientUrl, settings, report, client).RunAsync(CancellationToken.None);
        await stop.CancelAsync();
        await modelLoop;
        var differences = await model.VerifyAsync(CancellationToken.None);

        var summary = report.Summary(stopwatch.Elapsed);
        output.WriteLine($"etcd, seed {settings.Seed}\n{summary}store model: {model.Operations} operations, {differences.Count} differences");
        etcd.HasExited.Should().BeFalse("etcd must survive the fuzz");
        differences.Should().BeEmpty("the model must agree with the reference server");
        var answered = report.Statuses.Where(p => char.IsDigit(p.Key[0]) || p.Key.StartsWith("http-", StringComparison.Ordinal) && char.IsDigit(p.Key[5])).Sum(p => p.Value);
        answered.Should().BeGreaterThan(report.Requests / 2, "the harness must reach etcd:\n" + summary);
    }
}
