using System.Collections.Concurrent;
using KvDirectory.Client;
using KvDirectory.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace KvDirectory.Extensions.Configuration.Tests;

/// <summary>One live server per test class, and a client to write the keys the provider reads.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public EtcdClient Writer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartKvDirectoryAsync();
        Writer = new EtcdClient(new EtcdClientOptions { Endpoints = [_server.ClientUrl], RequestTimeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync()
    {
        Writer?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public static string UniquePrefix() => "/config/t" + Guid.NewGuid().ToString("N")[..10];
}

/// <summary>Collects log lines so tests can check a warning was written.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(Entries);

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<(LogLevel, EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}

public static class Await
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Waits (on reload notifications, with a liveness deadline) until the configuration satisfies a condition.</summary>
    public static async Task UntilAsync(IConfiguration configuration, Func<bool> condition, string what)
    {
        var signal = new SemaphoreSlim(0);
        using var subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => signal.Release());
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            var left = deadline - DateTime.UtcNow;
            left.Should().BePositive($"the configuration should get {what}");
            // The callback is the event; the short cap only re-checks conditions a reload may have met before we subscribed.
            await signal.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"{what} should happen");
            await Task.Delay(20);
        }
    }
}

/// <summary>A clock that can be moved forward, for cache ages.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
