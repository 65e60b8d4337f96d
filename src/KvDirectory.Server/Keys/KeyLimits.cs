using System.Text;
using KvDirectory.Protocol;
using KvDirectory.Server.Configuration;

namespace KvDirectory.Server.Keys;

/// <summary>
/// Refuses keys longer or deeper than the configured limits before they reach the store (etcd has neither limit:
/// its answer would be whatever its first request line allows). The answer is etcd's "Invalid field" (209, HTTP 400).
/// </summary>
public static class KeyLimits
{
    public static void Check(string keyPath, RequestLimitOptions limits)
    {
        // A UTF-8 byte count is at least the char count: only long paths need the exact count.
        if (keyPath.Length > limits.MaxKeyBytes / 3 && Encoding.UTF8.GetByteCount(keyPath) > limits.MaxKeyBytes)
        {
            throw new EtcdException(EtcdErrorCode.InvalidField, $"key is longer than --max-key-bytes ({limits.MaxKeyBytes} bytes)");
        }

        var depth = keyPath.AsSpan().Count('/');
        if (depth > limits.MaxKeyDepth)
        {
            throw new EtcdException(EtcdErrorCode.InvalidField, $"key has more than --max-key-depth ({limits.MaxKeyDepth}) path segments");
        }
    }
}
