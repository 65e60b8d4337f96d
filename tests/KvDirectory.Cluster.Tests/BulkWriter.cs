using System.Collections.Concurrent;

namespace KvDirectory.Cluster.Tests;

/// <summary>Writes many keys over many connections and remembers what each acknowledgement said.</summary>
public static class BulkWriter
{
    /// <summary>
    /// PUTs <paramref name="count"/> keys made by <paramref name="keyOf"/> with values from <paramref name="valueOf"/>;
    /// every write must succeed. Returns key → (value, modifiedIndex) of the latest acknowledgement per key.
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

                // Answers to writes of one key can arrive out of order: the highest index is the one that must survive.
                var acked = (value, response.ModifiedIndex);
                acknowledged.AddOrUpdate(key, acked, (_, previous) => previous.Item2 > acked.ModifiedIndex ? previous : acked);
            }
        })));
        return acknowledged;
    }
}
