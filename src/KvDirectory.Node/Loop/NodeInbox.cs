using System.Collections.Concurrent;
using KvDirectory.Protocol;

namespace KvDirectory.Node.Loop;

/// <summary>
/// The queue between the callers (HTTP requests, the transport) and the node's thread, and the signal that wakes
/// the thread. Once stopped, requests are refused and peer traffic is dropped.
/// </summary>
internal sealed class NodeInbox : IDisposable
{
    private readonly ConcurrentQueue<NodeInput> _inputs = new();
    private readonly AutoResetEvent _wakeUp = new(false);
    private volatile bool _stopped;

    public bool IsStopped => _stopped;

    public bool IsEmpty => _inputs.IsEmpty;

    /// <summary>A request from a client: refused with etcd's 300 once the node stopped.</summary>
    public void Enqueue(NodeInput input)
    {
        if (_stopped)
        {
            throw new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: server stopped");
        }

        _inputs.Enqueue(input);
        _wakeUp.Set();
    }

    /// <summary>Peer traffic arriving while the node stops is dropped: the peer resends whatever still matters.</summary>
    public void TryEnqueue(NodeInput input)
    {
        if (_stopped)
        {
            return;
        }

        _inputs.Enqueue(input);
        try
        {
            _wakeUp.Set();
        }
        catch (ObjectDisposedException)
        {
            // The node stopped between the check and the wake-up; the input is dropped with the rest.
        }
    }

    public bool TryDequeue(out NodeInput input) => _inputs.TryDequeue(out input!);

    public void Wait(TimeSpan timeout) => _wakeUp.WaitOne(timeout);

    /// <summary>No new work from now on; the thread is woken to drain what is queued.</summary>
    public void Stop()
    {
        _stopped = true;
        _wakeUp.Set();
    }

    public void Dispose() => _wakeUp.Dispose();
}
