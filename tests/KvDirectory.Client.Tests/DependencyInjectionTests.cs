using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KvDirectory.Client.Tests;

/// <summary>AddKvDirectoryClient: options from configuration, HttpClients from the factory, traces and metrics emitted.</summary>
public sealed class DependencyInjectionTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    [Fact]
    public async Task The_registered_client_is_configured_from_a_section_and_traced_and_measured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KvDirectory:Endpoints:0"] = fixture.Server.Endpoint,
            ["KvDirectory:MaxRetryAttempts"] = "5",
            ["KvDirectory:TotalTimeout"] = "00:00:07",
            ["KvDirectory:DiscoveryInterval"] = "00:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddKvDirectoryClient(configuration.GetSection("KvDirectory"));
        await using var provider = services.BuildServiceProvider();

        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClientTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        long requests = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ClientTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "kvdirectory.client.requests")
            {
                Interlocked.Add(ref requests, value);
            }
        });
        meters.Start();

        var client = provider.GetRequiredService<EtcdClient>();
        provider.GetRequiredService<EtcdClient>().Should().BeSameAs(client);
        client.Endpoints.Should().Equal(fixture.Server.ClientUrl);
        var key = SingleNodeFixture.UniquePrefix() + "/di";
        await client.Keys.SetAsync(key, "v");
        (await client.Keys.GetAsync(key)).Node!.Value.Should().Be("v");

        lock (activities)
        {
            activities.Select(a => a.DisplayName).Should().Contain(["PUT /v2/keys" + key, "GET /v2/keys" + key]);
        }

        Interlocked.Read(ref requests).Should().BeGreaterThanOrEqualTo(2);
    }
}
