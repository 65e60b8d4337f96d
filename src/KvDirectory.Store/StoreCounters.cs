using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>The operation counters of <c>/v2/stats/store</c>; incremented from readers and the writer alike.</summary>
internal sealed class StoreCounters
{
    private long _getsSuccess;
    private long _getsFail;
    private long _setsSuccess;
    private long _setsFail;
    private long _deleteSuccess;
    private long _deleteFail;
    private long _updateSuccess;
    private long _updateFail;
    private long _createSuccess;
    private long _createFail;
    private long _compareAndSwapSuccess;
    private long _compareAndSwapFail;
    private long _compareAndDeleteSuccess;
    private long _compareAndDeleteFail;
    private long _expireCount;

    public void CountGet(bool success) => Interlocked.Increment(ref success ? ref _getsSuccess : ref _getsFail);

    public void CountWrite(StoreWrite kind, bool success) => Interlocked.Increment(ref Counter(kind, success));

    private ref long Counter(StoreWrite kind, bool success)
    {
        switch (kind)
        {
            case StoreWrite.Set:
                return ref success ? ref _setsSuccess : ref _setsFail;
            case StoreWrite.Create:
                return ref success ? ref _createSuccess : ref _createFail;
            case StoreWrite.Update:
                return ref success ? ref _updateSuccess : ref _updateFail;
            case StoreWrite.CompareAndSwap:
                return ref success ? ref _compareAndSwapSuccess : ref _compareAndSwapFail;
            case StoreWrite.Delete:
                return ref success ? ref _deleteSuccess : ref _deleteFail;
            case StoreWrite.CompareAndDelete:
                return ref success ? ref _compareAndDeleteSuccess : ref _compareAndDeleteFail;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public void CountExpire() => Interlocked.Increment(ref _expireCount);

    public StoreStatistics Snapshot(int watchers) => new()
    {
        GetsSuccess = Interlocked.Read(ref _getsSuccess),
        GetsFail = Interlocked.Read(ref _getsFail),
        SetsSuccess = Interlocked.Read(ref _setsSuccess),
        SetsFail = Interlocked.Read(ref _setsFail),
        DeleteSuccess = Interlocked.Read(ref _deleteSuccess),
        DeleteFail = Interlocked.Read(ref _deleteFail),
        UpdateSuccess = Interlocked.Read(ref _updateSuccess),
        UpdateFail = Interlocked.Read(ref _updateFail),
        CreateSuccess = Interlocked.Read(ref _createSuccess),
        CreateFail = Interlocked.Read(ref _createFail),
        CompareAndSwapSuccess = Interlocked.Read(ref _compareAndSwapSuccess),
        CompareAndSwapFail = Interlocked.Read(ref _compareAndSwapFail),
        CompareAndDeleteSuccess = Interlocked.Read(ref _compareAndDeleteSuccess),
        CompareAndDeleteFail = Interlocked.Read(ref _compareAndDeleteFail),
        ExpireCount = Interlocked.Read(ref _expireCount),
        Watchers = watchers,
    };
}
