using System.Security.Cryptography;
using System.Text.Json;
using KvDirectory.Protocol.Configuration;

namespace KvDirectory.Extensions.Configuration;

/// <summary>
/// Reads and writes the cache file. A write goes to a temporary file beside it, is flushed to disk, then renamed over
/// the old one, so a crash leaves either the old cache or the new one, never a mix. Excluded paths never reach the disk.
/// </summary>
internal sealed class LastKnownGoodCache(string path, string prefix, IList<string> excluded, TimeProvider clock)
{
    public string Path => path;

    public void Save(IReadOnlyList<ConfigurationValue> values, long etcdIndex)
    {
        var kept = values.Where(v => !IsExcluded(v.Path)).ToList();
        var document = new CacheDocument
        {
            Prefix = prefix,
            EtcdIndex = etcdIndex,
            SavedAt = clock.GetUtcNow(),
            Checksum = ChecksumOf(kept),
            Values = kept,
        };
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, document, CacheJsonContext.Default.CacheDocument);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The cached values, or null with the reason they cannot be used (missing, corrupt, another prefix, too old).</summary>
    public (CacheDocument? Document, string? Rejected) TryLoad(TimeSpan? maxAge)
    {
        if (!File.Exists(path))
        {
            return (null, "no cache file");
        }

        CacheDocument? document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonSerializer.Deserialize(stream, CacheJsonContext.Default.CacheDocument);
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            return (null, "unreadable: " + exception.Message);
        }

        if (document is null || document.Checksum != ChecksumOf(document.Values))
        {
            return (null, "checksum mismatch");
        }

        if (!string.Equals(document.Prefix, prefix, StringComparison.Ordinal))
        {
            return (null, $"it holds prefix {document.Prefix}");
        }

        var age = clock.GetUtcNow() - document.SavedAt;
        if (maxAge is { } limit && age > limit)
        {
            return (null, $"it is {age} old, more than the maximum {limit}");
        }

        return (document, null);
    }

    private bool IsExcluded(string configurationPath) => excluded.Any(section =>
        configurationPath.Equals(section, StringComparison.OrdinalIgnoreCase) ||
        configurationPath.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase));

    private static string ChecksumOf(IReadOnlyList<ConfigurationValue> values) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(values, CacheJsonContext.Default.IReadOnlyListConfigurationValue)));
}
