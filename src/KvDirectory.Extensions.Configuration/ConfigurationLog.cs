using Microsoft.Extensions.Logging;

namespace KvDirectory.Extensions.Configuration;

/// <summary>The configuration provider's log messages; event ids 7200–7299 are the provider's and never change meaning.</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(7200, LogLevel.Information, "Loaded {Count} configuration values under {Prefix} at index {Index}")]
    public static partial void Loaded(ILogger logger, int count, string prefix, long index);

    [LoggerMessage(7201, LogLevel.Warning, "Could not load configuration under {Prefix} from the cluster within {Timeout}: {Error}")]
    public static partial void StartupFailed(ILogger logger, string prefix, TimeSpan timeout, string error);

    [LoggerMessage(7202, LogLevel.Warning, "Serving configuration under {Prefix} from the last-known-good cache {File}: saved {Age} ago at index {Index}; live data replaces it as soon as the cluster answers")]
    public static partial void ServingFromCache(ILogger logger, string prefix, string file, TimeSpan age, long index);

    [LoggerMessage(7203, LogLevel.Warning, "Last-known-good cache {File} not used: {Reason}")]
    public static partial void CacheUnusable(ILogger logger, string file, string reason);

    [LoggerMessage(7204, LogLevel.Warning, "Configuration under {Prefix} starts empty (optional): neither the cluster nor a cache could provide it")]
    public static partial void StartedEmpty(ILogger logger, string prefix);

    [LoggerMessage(7205, LogLevel.Information, "Configuration under {Prefix} is live again at index {Index}")]
    public static partial void SwitchedToLive(ILogger logger, string prefix, long index);

    [LoggerMessage(7206, LogLevel.Information, "Configuration under {Prefix} reloaded at index {Index}: {Count} values")]
    public static partial void Reloaded(ILogger logger, string prefix, long index, int count);

    [LoggerMessage(7207, LogLevel.Warning, "Reloading configuration under {Prefix} failed: {Error}; trying again in {Delay}")]
    public static partial void ReloadFailed(ILogger logger, string prefix, string error, TimeSpan delay);

    [LoggerMessage(7208, LogLevel.Warning, "Could not write the last-known-good cache {File}: {Error}")]
    public static partial void CacheWriteFailed(ILogger logger, string file, string error);

    [LoggerMessage(7209, LogLevel.Error, "Following configuration changes under {Prefix} stopped: {Error}")]
    public static partial void FollowingStopped(ILogger logger, string prefix, string error);
}
