namespace KvDirectory.Server.Configuration;

/// <summary>
/// etcd reads every flag from an environment variable too (<c>ETCD_LISTEN_CLIENT_URLS</c> for
/// <c>--listen-client-urls</c>); this maps those names onto our configuration keys.
/// </summary>
public static class EtcdEnvironmentVariables
{
    public static IEnumerable<KeyValuePair<string, string?>> Read(System.Collections.IDictionary environment)
    {
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith("ETCD_", StringComparison.Ordinal) && name.Length > 5)
            {
                yield return new(name[5..].ToLowerInvariant().Replace('_', '-'), entry.Value as string);
            }
        }
    }
}
