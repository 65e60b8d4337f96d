using System.Collections.Concurrent;
using System.Globalization;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Concurrent writers doing a seeded mix of etcd v2 writes until the node dies. Every write is logged as
/// acknowledged (with the event the server answered) or as unknown (no answer). A task completes once a
/// seeded number of writes were acknowledged: that is the moment the test kills the node.
/// </summary>
public sealed class CrashWorkload
{
    public const string RegularPrefix = "/k/";
    public const string ShortTtlPrefix = "/short/";
    public const string QueueDirectory = "/q";

    private const int RegularKeys = 48;
    private const int ShortTtlKeys = 8;

    private readonly int _seed;
    private readonly int _round;
    private readonly int _killAfterAcks;
    private readonly ConcurrentQueue<WriteRecord> _records = new();
    private readonly ConcurrentDictionary<string, (string Value, long Index)> _lastSeen = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _killMoment = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopped;
    private int _acks;

    public CrashWorkload(int seed, int round, int killAfterAcks, IReadOnlyDictionary<string, StoredKey> baseline)
    {
        _seed = seed;
        _round = round;
        _killAfterAcks = killAfterAcks;
        foreach (var (key, stored) in baseline)
        {
            _lastSeen[key] = (stored.Value, stored.ModifiedIndex);
        }
    }

    /// <summary>Completes when the seeded number of acknowledged writes is reached.</summary>
    public Task KillMoment => _killMoment.Task;

    public IReadOnlyCollection<WriteRecord> Records => _records;

    public int Acknowledged => Volatile.Read(ref _acks);

    /// <summary>Asks the writers to stop after their current request (called once the node is dead).</summary>
    public void Stop() => _stopped = true;

    public Task RunAsync(KeysClient client, int writers) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(client, w))));

    private async Task WriterAsync(KeysClient client, int writer)
    {
        var random = new Random(HashCode.Combine(_seed, _round, writer));
        for (var sequence = 0; !_stopped; sequence++)
        {
            var value = string.Create(CultureInfo.InvariantCulture, $"r{_round}w{writer}s{sequence}");
            var (record, send) = NextWrite(random, client, value);
            KeysResponse response;
            try
            {
                response = await send();
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
            {
                _records.Enqueue(record);
                return;
            }

            if ((int)response.Status >= 500 || response.ErrorCode is >= 300)
            {
                // The server said it could not finish (timeout, stopping): the entry may still be in the log.
                _records.Enqueue(record);
                continue;
            }

            if (!response.IsSuccess)
            {
                // A refused compare or create is applied as a no-op: nothing to remember.
                continue;
            }

            var acked = record with
            {
                Acknowledged = true,
                AnsweredKey = response.Key,
                ModifiedIndex = response.ModifiedIndex,
                EtcdIndex = response.EtcdIndex,
            };
            _records.Enqueue(acked);
            if (!acked.RemovesKey && acked.Value is not null)
            {
                _lastSeen[acked.AnsweredKey!] = (acked.Value, acked.ModifiedIndex);
            }

            if (Interlocked.Increment(ref _acks) == _killAfterAcks)
            {
                _killMoment.TrySetResult();
            }
        }
    }

    private (WriteRecord Record, Func<Task<KeysResponse>> Send) NextWrite(Random random, KeysClient client, string value)
    {
        var key = RegularPrefix + random.Next(RegularKeys).ToString(CultureInfo.InvariantCulture);
        var roll = random.Next(100);
        switch (roll)
        {
            case < 28:
                return (new WriteRecord(WriteKind.Set, key, value, null), () => client.PutAsync(key, value));
            case < 38:
                return (new WriteRecord(WriteKind.Create, key, value, null),
                    () => client.PutAsync(key, value, new Dictionary<string, string> { ["prevExist"] = "false" }));
            case < 48 when _lastSeen.TryGetValue(key, out var seen):
                return (new WriteRecord(WriteKind.CompareAndSwapByValue, key, value, null),
                    () => client.PutAsync(key, value, new Dictionary<string, string> { ["prevValue"] = seen.Value }));
            case < 58 when _lastSeen.TryGetValue(key, out var seen):
                return (new WriteRecord(WriteKind.CompareAndSwapByIndex, key, value, null),
                    () => client.PutAsync(key, value, new Dictionary<string, string> { ["prevIndex"] = seen.Index.ToString(CultureInfo.InvariantCulture) }));
            case < 66:
                return (new WriteRecord(WriteKind.Delete, key, null, null), () => client.DeleteAsync(key));
            case < 71 when _lastSeen.TryGetValue(key, out var seen):
                return (new WriteRecord(WriteKind.CompareAndDelete, key, null, null),
                    () => client.DeleteAsync(key, new Dictionary<string, string> { ["prevValue"] = seen.Value }));
            case < 83:
                // An hour: never expires during the test, so the key must come back exactly, TTL included.
                return (new WriteRecord(WriteKind.SetWithLongTtl, key, value, 3600), () => client.PutAsync(key, value, ttl: 3600));
            case < 88:
                var shortKey = ShortTtlPrefix + random.Next(ShortTtlKeys).ToString(CultureInfo.InvariantCulture);
                var ttl = random.Next(1, 3);
                return (new WriteRecord(WriteKind.SetWithShortTtl, shortKey, value, ttl), () => client.PutAsync(shortKey, value, ttl: ttl));
            case < 100:
                return (new WriteRecord(WriteKind.PostInOrder, QueueDirectory, value, null), () => client.PostAsync(QueueDirectory, value));
            default:
                // Unreachable for rolls below 100; the compiler needs every path to return.
                return (new WriteRecord(WriteKind.Set, key, value, null), () => client.PutAsync(key, value));
        }
    }
}
