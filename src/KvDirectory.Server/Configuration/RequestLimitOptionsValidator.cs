using KvDirectory.Protocol;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Configuration;

/// <summary>Rejects limits that would refuse every request or disable a protection by accident, naming the flag.</summary>
public sealed class RequestLimitOptionsValidator : IValidateOptions<RequestLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestLimitOptions options)
    {
        var failures = new List<string>();
        AtLeast(failures, "--max-key-bytes", options.MaxKeyBytes, 16);
        AtLeast(failures, "--max-key-depth", options.MaxKeyDepth, 1);
        if (options.MaxKeyDepth > JsonDepth.MaxKeySegments)
        {
            // Deeper trees could not be written as JSON (nor kept in a snapshot, which stops at 1000 levels).
            failures.Add($"--max-key-depth must be at most {JsonDepth.MaxKeySegments}");
        }
        AtLeast(failures, "--max-request-line-bytes", options.MaxRequestLineBytes, 1_024);
        AtLeast(failures, "--max-request-headers-bytes", options.MaxRequestHeadersBytes, 1_024);
        AtLeast(failures, "--max-request-header-count", options.MaxRequestHeaderCount, 8);
        AtLeast(failures, "--max-watchers", options.MaxWatchers, 1);
        AtLeast(failures, "--max-watchers-per-connection", options.MaxWatchersPerConnection, 1);
        AtLeast(failures, "--max-connections", options.MaxConnections, 8);
        AtLeast(failures, "--max-upgraded-connections", options.MaxUpgradedConnections, 0);
        AtLeast(failures, "--min-request-body-bytes-per-second", options.MinRequestBodyBytesPerSecond, 0);
        AtLeast(failures, "--min-response-bytes-per-second", options.MinResponseBytesPerSecond, 0);
        AtLeast(failures, "--min-data-rate-grace-ms", options.MinDataRateGraceMilliseconds, 1_001);
        AtLeast(failures, "--keep-alive-timeout-ms", options.KeepAliveTimeoutMilliseconds, 1_000);
        AtLeast(failures, "--request-headers-timeout-ms", options.RequestHeadersTimeoutMilliseconds, 1_000);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeast(List<string> failures, string flag, double value, double minimum)
    {
        if (value < minimum)
        {
            failures.Add($"{flag} must be at least {minimum}");
        }
    }
}
