using System.Collections.Concurrent;

namespace KvDirectory.Cluster.Tests;

/// <summary>Writes many keys over many connections and remembers what each acknowledgement said.</summary>
public static class BulkWriter
{
    /// <summary>
    /// PUTs <paramref name="count"/> keys made by <paramref name="keyOf"/> with values from <paramref name="valueOf"/>;
    /// every write must succeed. Returns key → (value, modifiedIndex) of the acknowledgements.
    /// </summary>
    public static async Task<ConcurrentDictionary<string, (string Value, long ModifiedIndex)>> PutAllAsync(
        KeysClient client, int count, int connections, Func<int, string> keyOf, Func<int, string> valueOf)
    {
        var acknowledged = new ConcurrentDictionary<string, (string, long)>(StringComparer.Ordinal);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var key = keyOf(i);
                var value = valueOf(i);
                var response = await client.PutAsync(key, value);
                if (!response.IsSuccess)
                {
                    throw new InvalidOperationException($"PUT {key} failed: {(int)response.Status} {response.Text}");
                }

                acknowledged[key] = (value, response.ModifiedIndex);
            }
        })));
        return acknowledged;
    }
}
