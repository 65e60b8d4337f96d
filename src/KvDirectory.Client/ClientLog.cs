using Microsoft.Extensions.Logging;

namespace KvDirectory.Client;

/// <summary>The client's log messages; event ids 7100–7199 are the client's and never change meaning.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(7100, LogLevel.Debug, "Endpoint {Endpoint} failed for {Method} {Path}: {Error}; trying the next endpoint")]
    public static partial void FailingOver(ILogger logger, Uri endpoint, string method, string path, string error);

    [LoggerMessage(7101, LogLevel.Warning, "{Method} {Path} failed on {Endpoint} after it may have reached the server: {Error}; not sent elsewhere, since it is not idempotent")]
    public static partial void OutcomeUnknown(ILogger logger, string method, string path, Uri endpoint, string error);

    [LoggerMessage(7102, LogLevel.Information, "Every endpoint failed ({Error}); retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string error, int attempt, TimeSpan delay);

    [LoggerMessage(7103, LogLevel.Warning, "Circuit of endpoint {Endpoint} opened for {Duration}")]
    public static partial void CircuitOpened(ILogger logger, Uri endpoint, TimeSpan duration);

    [LoggerMessage(7104, LogLevel.Information, "Circuit of endpoint {Endpoint} closed")]
    public static partial void CircuitClosed(ILogger logger, Uri endpoint);

    [LoggerMessage(7105, LogLevel.Information, "Endpoints discovered from /v2/members: {Endpoints}")]
    public static partial void EndpointsDiscovered(ILogger logger, string endpoints);

    [LoggerMessage(7106, LogLevel.Warning, "Endpoint discovery from /v2/members failed: {Error}")]
    public static partial void DiscoveryFailed(ILogger logger, string error);

    [LoggerMessage(7110, LogLevel.Warning, "Watch of {Key} lost its connection ({Error}); resuming from index {WaitIndex} in {Delay}")]
    public static partial void WatchReconnecting(ILogger logger, string key, string error, long waitIndex, TimeSpan delay);

    [LoggerMessage(7111, LogLevel.Warning, "Watch of {Key}: index {WaitIndex} was cleared from the event history (401); resynchronised with a read at index {Index}")]
    public static partial void WatchResynced(ILogger logger, string key, long waitIndex, long index);
}
