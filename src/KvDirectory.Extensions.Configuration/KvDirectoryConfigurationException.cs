namespace KvDirectory.Extensions.Configuration;

/// <summary>A required configuration source could be loaded neither from the cluster nor from its cache.</summary>
public sealed class KvDirectoryConfigurationException(string message, Exception? inner) : Exception(message, inner);
