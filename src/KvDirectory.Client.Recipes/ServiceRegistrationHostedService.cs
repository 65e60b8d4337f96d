using KvDirectory.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvDirectory.Client.Recipes;

/// <summary>What this host registers: under <c>{Root}/{Service}/{InstanceId}</c> = <c>Address</c>, with a TTL.</summary>
public sealed class ServiceRegistrationOptions
{
    public string Root { get; set; } = "/services";

    public string Service { get; set; } = "";

    public string InstanceId { get; set; } = Environment.MachineName + "-" + Environment.ProcessId;

    public string Address { get; set; } = "";

    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Registers the instance when the host starts and deregisters it when the host stops.</summary>
public sealed class ServiceRegistrationHostedService(EtcdClient client, IOptions<ServiceRegistrationOptions> options, ILogger<ServiceRegistrationHostedService> logger) : IHostedService
{
    private ServiceRegistration? _registration;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        _registration = await new ServiceRegistry(client, o.Root, logger).RegisterAsync(o.Service, o.InstanceId, o.Address, o.Ttl, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_registration is not null)
        {
            await _registration.DisposeAsync();
        }
    }
}

public static class ServiceRegistrationServiceCollectionExtensions
{
    /// <summary>Registers this host as an instance of a service for as long as it runs (needs <c>AddKvDirectoryClient</c>).</summary>
    public static IServiceCollection AddKvDirectoryServiceRegistration(this IServiceCollection services, Action<ServiceRegistrationOptions> configure)
    {
        services.AddOptions<ServiceRegistrationOptions>().Configure(configure);
        services.AddHostedService<ServiceRegistrationHostedService>();
        return services;
    }
}
