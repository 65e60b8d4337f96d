using KvDirectory.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KvDirectory.Extensions.Configuration;

/// <summary>
/// Healthy while the configuration is live and the cluster answers; degraded while serving from the cache, or when the
/// live values are stale because the cluster stopped answering; unhealthy when nothing could be loaded at all.
/// </summary>
public sealed class KvDirectoryConfigurationHealthCheck(IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var worst = HealthStatus.Healthy;
        var descriptions = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var provider in configuration.GetKvDirectoryProviders())
        {
            var status = provider.Status;
            var (health, description) = status.Source switch
            {
                ConfigurationDataSource.None => (HealthStatus.Unhealthy, $"{provider.Prefix}: no configuration loaded"),
                ConfigurationDataSource.Cache => (HealthStatus.Degraded, $"{provider.Prefix}: serving from cache saved {status.CacheSavedAt:O} (index {status.EtcdIndex})"),
                _ => await ProbeAsync(provider, cancellationToken),
            };
            worst = health < worst ? health : worst;
            descriptions.Add(description);
            data[provider.Prefix] = status.Source.ToString();
            data[provider.Prefix + ":etcdIndex"] = status.EtcdIndex;
        }

        return new HealthCheckResult(worst, string.Join("; ", descriptions), data: data);
    }

    private static async Task<(HealthStatus, string)> ProbeAsync(KvDirectoryConfigurationProvider provider, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await provider.Client.CheckReachableAsync(deadline.Token);
            return (HealthStatus.Healthy, $"{provider.Prefix}: connected, index {provider.Status.EtcdIndex}");
        }
        catch (Exception exception) when (exception is ClusterException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (HealthStatus.Degraded, $"{provider.Prefix}: stale, live values of index {provider.Status.EtcdIndex} loaded {provider.Status.LoadedAt:O}; cluster unreachable");
        }
    }
}

public static class KvDirectoryHealthChecksBuilderExtensions
{
    /// <summary>Reports the state of every KvDirectory configuration provider of the app's configuration.</summary>
    public static IHealthChecksBuilder AddKvDirectoryConfiguration(this IHealthChecksBuilder builder, string name = "kvdirectory-configuration") =>
        builder.Add(new HealthCheckRegistration(
            name,
            provider => new KvDirectoryConfigurationHealthCheck(provider.GetRequiredService<IConfiguration>()),
            failureStatus: null,
            tags: ["kvdirectory", "configuration"]));
}
