using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Configuration;

/// <summary>Rejects settings that cannot work, with a message that says which flag to fix.</summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        if (options.EventHistory < 1)
        {
            failures.Add("--event-history must be at least 1");
        }

        if (options.ListingCacheBytes < 0)
        {
            failures.Add("--listing-cache-bytes must be 0 (no cache) or more");
        }

        if (options.MaxRequestBytes < 1024)
        {
            failures.Add("--max-request-bytes must be at least 1024");
        }

        if (options.InitialClusterState is not ("new" or "existing"))
        {
            failures.Add("--initial-cluster-state must be 'new' or 'existing'");
        }

        if (options.HeartbeatIntervalMilliseconds < 1 || options.ElectionTimeoutMilliseconds < 5 * options.HeartbeatIntervalMilliseconds)
        {
            failures.Add("--election-timeout must be at least 5 times --heartbeat-interval (etcd's rule)");
        }

        if (options.SnapshotCount < 1)
        {
            failures.Add("--snapshot-count must be at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
