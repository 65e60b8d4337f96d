using KvDirectory.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KvDirectory.Extensions.Configuration.Tests;

/// <summary>The provider against a live server: values, sections, JSON, reloads, deletions, debounce, debug view, health.</summary>
public sealed class ProviderTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly string _prefix = ServerFixture.UniquePrefix();

    private ConfigurationRoot Build(Action<KvDirectoryConfigurationOptions>? configure = null) =>
        (ConfigurationRoot)new ConfigurationBuilder().AddKvDirectory(options =>
        {
            options.Endpoints = [fixture.Server.ClientUrl];
            options.Prefix = _prefix;
            configure?.Invoke(options);
        }).Build();

    private Task SetAsync(string key, string value) => fixture.Writer.Keys.SetAsync(_prefix + key, value);

    [Fact]
    public async Task Keys_become_values_and_sections_hidden_keys_are_skipped_and_json_expands_where_asked()
    {
        await SetAsync("/Logging/LogLevel/Default", "Warning");
        await SetAsync("/Logging/LogLevel/Microsoft", "Error");
        await SetAsync("/_internal", "skip me");
        await SetAsync("/Features", """{"Beta":true,"Regions":["eu","us"]}""");
        await SetAsync("/Blob", """{"A":1}""");
        using var configuration = Build(o => o.ExpandJsonUnder = ["Features"]);

        configuration["Logging:LogLevel:Default"].Should().Be("Warning");
        configuration.GetSection("Logging:LogLevel").GetChildren().Select(c => (c.Key, c.Value))
            .Should().BeEquivalentTo([("Default", "Warning"), ("Microsoft", "Error")]);
        configuration["_internal"].Should().BeNull();
        configuration.GetValue<bool>("Features:Beta").Should().BeTrue();
        configuration.GetSection("Features:Regions").Get<string[]>().Should().Equal("eu", "us");
        configuration["Blob"].Should().Be("""{"A":1}""", "JSON outside the expanded sections stays one string");
    }

    [Fact]
    public async Task A_change_reloads_the_whole_tree_atomically_and_deletions_are_honoured()
    {
        await SetAsync("/A", "1");
        await SetAsync("/Section/B", "2");
        await SetAsync("/Section/C", "3");
        using var configuration = Build();
        configuration["Section:C"].Should().Be("3");

        await fixture.Writer.Keys.DeleteAsync(_prefix + "/Section", new DeleteOptions { Dir = true, Recursive = true });
        await SetAsync("/A", "changed");
        await Await.UntilAsync(configuration, () => configuration["A"] == "changed", "the new value of A");
        configuration["Section:B"].Should().BeNull("a deleted key leaves the configuration");
        configuration.GetSection("Section").Exists().Should().BeFalse();
    }

    public sealed class Settings
    {
        public string? Last { get; set; }

        public Dictionary<string, string> Items { get; set; } = [];
    }

    [Fact]
    public async Task A_burst_of_100_writes_is_one_reload_and_one_options_change()
    {
        await SetAsync("/App/Last", "start");
        using var configuration = Build(o => o.DebounceWindow = TimeSpan.FromMilliseconds(500));
        var services = new ServiceCollection();
        services.Configure<Settings>(configuration.GetSection("App"));
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<Settings>>();
        monitor.CurrentValue.Last.Should().Be("start");
        var changes = 0;
        using var listening = monitor.OnChange(_ => Interlocked.Increment(ref changes));
        var reloads = 0;
        using var reloading = Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, () => Interlocked.Increment(ref reloads));

        // Written concurrently, so the whole burst lands well within one debounce window.
        await Parallel.ForEachAsync(Enumerable.Range(0, 99), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => await SetAsync($"/App/Items/k{i:D2}", "v"));
        await SetAsync("/App/Last", "end");
        // OptionsMonitor recomputes CurrentValue before it calls OnChange listeners: wait for the notification too.
        await Await.UntilAsync(
            () => monitor.CurrentValue.Last == "end" && monitor.CurrentValue.Items.Count == 99 && Volatile.Read(ref changes) >= 1 && Volatile.Read(ref reloads) >= 1,
            "the burst to be loaded and notified");

        // The burst is complete in the options now; a reload carrying only part of it would have notified first.
        Volatile.Read(ref changes).Should().Be(1, "one OnChange for the whole burst of 100 writes");
        Volatile.Read(ref reloads).Should().Be(1, "one reload for the whole burst");
    }

    [Fact]
    public async Task The_debug_view_names_the_store_key_and_modified_index_of_every_value()
    {
        var written = await fixture.Writer.Keys.SetAsync(_prefix + "/Db/Timeout", "30");
        var json = await fixture.Writer.Keys.SetAsync(_prefix + "/Limits", """{"Max":5}""");
        using var configuration = Build(o => o.ExpandJson = true);
        var provider = configuration.GetKvDirectoryProviders().Should().ContainSingle().Subject;

        provider.DebugView.Should().ContainEquivalentOf(new { Path = "Db:Timeout", Value = "30", StoreKey = _prefix + "/Db/Timeout", ModifiedIndex = written.Node!.ModifiedIndex });
        provider.DebugView.Should().ContainEquivalentOf(new { Path = "Limits:Max", Value = "5", StoreKey = _prefix + "/Limits", ModifiedIndex = json.Node!.ModifiedIndex });
        var view = configuration.GetKvDirectoryDebugView();
        view.Should().Contain($"Db:Timeout=30 <- {_prefix}/Db/Timeout @ modifiedIndex {written.Node.ModifiedIndex}");
        view.Should().Contain($"Limits:Max=5 <- {_prefix}/Limits @ modifiedIndex {json.Node.ModifiedIndex}");
    }

    [Fact]
    public async Task The_health_check_is_healthy_while_live()
    {
        await SetAsync("/X", "1");
        using var configuration = Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddHealthChecks().AddKvDirectoryConfiguration();
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        report.Status.Should().Be(HealthStatus.Healthy, report.Entries.Values.FirstOrDefault().Description);
        report.Entries["kvdirectory-configuration"].Description.Should().Contain("connected");
    }

    [Fact]
    public async Task A_missing_prefix_is_an_empty_configuration_that_fills_when_keys_appear()
    {
        using var configuration = Build();
        configuration.AsEnumerable().Should().BeEmpty();
        await SetAsync("/Late", "here");
        await Await.UntilAsync(configuration, () => configuration["Late"] == "here", "the late key");
    }
}
