using Microsoft.Extensions.Configuration;

namespace KvDirectory.Extensions.Configuration;

/// <summary>Builds the one provider of a prefix; built once per configuration root.</summary>
public sealed class KvDirectoryConfigurationSource(KvDirectoryConfigurationOptions options) : IConfigurationSource
{
    public KvDirectoryConfigurationOptions Options { get; } = options;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new KvDirectoryConfigurationProvider(Options);
}
