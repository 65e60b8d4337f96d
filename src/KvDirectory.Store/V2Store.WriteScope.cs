using KvDirectory.Protocol;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>Whether the write holding the write lock returned its event; read when its scope ends.</summary>
    private bool _writeSucceeded;

    /// <summary>Takes the write lock for one write of <paramref name="kind"/>; dispose the scope to count it and release the lock.</summary>
    private WriteScope BeginWrite(StoreWrite kind)
    {
        _lock.EnterWriteLock();
        _writeSucceeded = false;
        ReleaseWrittenCapture();
        return new WriteScope(this, kind);
    }

    /// <summary>
    /// One write under the store's write lock, counted as a success when it returns its event through
    /// <see cref="Succeeded"/> and as a failure when it throws (an <see cref="EtcdException"/>
    /// means nothing changed). A scope on the stack instead of a delegate: a closure and two delegates per write before.
    /// </summary>
    private readonly ref struct WriteScope(V2Store store, StoreWrite kind)
    {
        public EtcdEvent Succeeded(EtcdEvent e)
        {
            store._writeSucceeded = true;
            return e;
        }

        public void Dispose()
        {
            store._counters.CountWrite(kind, store._writeSucceeded);
            store._lock.ExitWriteLock();
        }
    }
}
