using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvDirectory.Client;

/// <summary>Registers one <see cref="EtcdClient"/> per container, its HTTP handlers managed by IHttpClientFactory.</summary>
public static class KvDirectoryClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the client uses, to add handlers to it (<c>services.AddHttpClient(name)…</c>).</summary>
    public const string HttpClientName = "KvDirectory";

    /// <summary>Binds <see cref="KvDirectoryClientOptions"/> from <paramref name="configuration"/> (e.g. the "KvDirectory" section).</summary>
    public static IServiceCollection AddKvDirectoryClient(this IServiceCollection services, IConfiguration configuration, Action<KvDirectoryClientOptions>? configure = null)
    {
        services.AddOptions<KvDirectoryClientOptions>().Bind(configuration);
        return services.AddKvDirectoryClient(configure ?? (_ => { }));
    }

    public static IServiceCollection AddKvDirectoryClient(this IServiceCollection services, Action<KvDirectoryClientOptions> configure)
    {
        services.AddOptions<KvDirectoryClientOptions>().Configure(configure);
        services.AddHttpClient(HttpClientName)
            // Watches wait for as long as the caller lets them; deadlines are the client's own (header and total timeouts).
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                EtcdHttpHandlerFactory.Create(provider.GetRequiredService<IOptions<KvDirectoryClientOptions>>().Value.ToClientOptions()));
        services.AddSingleton(provider =>
        {
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            return new EtcdClient(
                provider.GetRequiredService<IOptions<KvDirectoryClientOptions>>().Value.ToClientOptions(),
                () => factory.CreateClient(HttpClientName),
                provider.GetService<ILoggerFactory>());
        });
        return services;
    }
}
