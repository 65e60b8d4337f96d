using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace KvDirectory.Extensions.Configuration;

public static class KvDirectoryConfigurationExtensions
{
    /// <summary>
    /// Adds the keys under <see cref="KvDirectoryConfigurationOptions.Prefix"/> as configuration:
    /// <c>builder.Configuration.AddKvDirectory(o => { o.Endpoints = [new("http://kv:2379")]; o.Prefix = "/config/myapp"; })</c>.
    /// </summary>
    public static IConfigurationBuilder AddKvDirectory(this IConfigurationBuilder builder, Action<KvDirectoryConfigurationOptions> configure)
    {
        var options = new KvDirectoryConfigurationOptions();
        configure(options);
        return builder.Add(new KvDirectoryConfigurationSource(options));
    }

    /// <summary>The KvDirectory providers of a configuration (one per <c>AddKvDirectory</c>).</summary>
    public static IEnumerable<KvDirectoryConfigurationProvider> GetKvDirectoryProviders(this IConfiguration configuration) =>
        configuration is IConfigurationRoot root ? root.Providers.OfType<KvDirectoryConfigurationProvider>() : [];

    /// <summary>
    /// One line per configuration value a KvDirectory provider serves, with the store key and <c>modifiedIndex</c> it came
    /// from, and whether it is live or cached. A value that a later provider overrides is marked so.
    /// </summary>
    public static string GetKvDirectoryDebugView(this IConfiguration configuration)
    {
        var text = new StringBuilder();
        foreach (var provider in configuration.GetKvDirectoryProviders())
        {
            text.Append(CultureInfo.InvariantCulture, $"{provider}\n");
            foreach (var value in provider.DebugView)
            {
                var effective = configuration[value.Path];
                var overridden = effective == value.Value ? "" : " (overridden by a later source)";
                text.Append(CultureInfo.InvariantCulture, $"  {value.Path}={value.Value} <- {value.StoreKey} @ modifiedIndex {value.ModifiedIndex}{overridden}\n");
            }
        }

        return text.ToString();
    }
}
