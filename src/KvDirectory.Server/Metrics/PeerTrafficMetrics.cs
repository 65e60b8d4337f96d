using System.Collections.Concurrent;
using KvDirectory.Transport;

namespace KvDirectory.Server.Metrics;

/// <summary>Per-peer byte and failure counters, labelled by member id as etcd labels them (<c>To</c>, <c>From</c>).</summary>
public sealed class PeerTrafficMetrics : IPeerTrafficObserver
{
    private readonly ConcurrentDictionary<ulong, long> _sentBytes = new();
    private readonly ConcurrentDictionary<ulong, long> _receivedBytes = new();
    private readonly ConcurrentDictionary<ulong, long> _sentFailures = new();
    private readonly ConcurrentDictionary<ulong, long> _receivedFailures = new();

    public IEnumerable<KeyValuePair<ulong, long>> SentBytes => _sentBytes;

    public IEnumerable<KeyValuePair<ulong, long>> ReceivedBytes => _receivedBytes;

    public IEnumerable<KeyValuePair<ulong, long>> SentFailures => _sentFailures;

    public IEnumerable<KeyValuePair<ulong, long>> ReceivedFailures => _receivedFailures;

    public void Sent(ulong to, long bytes) => Add(_sentBytes, to, bytes);

    public void SendFailed(ulong to) => Add(_sentFailures, to, 1);

    public void Received(ulong from, long bytes) => Add(_receivedBytes, from, bytes);

    public void ReceiveFailed(ulong from) => Add(_receivedFailures, from, 1);

    private static void Add(ConcurrentDictionary<ulong, long> counters, ulong member, long amount) =>
        counters.AddOrUpdate(member, amount, (_, total) => total + amount);
}
