using Microsoft.Extensions.Logging;

namespace KvDirectory.Client.Recipes;

/// <summary>The recipes' log messages; event ids 7300–7399 are the recipes' and never change meaning.</summary>
internal static partial class RecipeLog
{
    [LoggerMessage(7300, LogLevel.Warning, "Renewing {What} failed: {Error}; retrying")]
    public static partial void RenewalFailed(ILogger logger, string what, string error);

    [LoggerMessage(7301, LogLevel.Warning, "{What} is no longer ours: {Error}")]
    public static partial void KeyLost(ILogger logger, string what, string error);

    [LoggerMessage(7302, LogLevel.Warning, "{What} may be lost: renewals failed for too long")]
    public static partial void MayBeLost(ILogger logger, string what);

    [LoggerMessage(7303, LogLevel.Information, "Acquired lock {Key} with fencing token {Token}")]
    public static partial void LockAcquired(ILogger logger, string key, long token);

    [LoggerMessage(7304, LogLevel.Information, "Became leader of {Key} as {Candidate}")]
    public static partial void BecameLeader(ILogger logger, string key, string candidate);

    [LoggerMessage(7305, LogLevel.Information, "Registered {Key} at {Address}")]
    public static partial void Registered(ILogger logger, string key, string address);

    [LoggerMessage(7306, LogLevel.Warning, "Releasing {What} failed: {Error}; its TTL will remove it")]
    public static partial void ReleaseFailed(ILogger logger, string what, string error);
}
