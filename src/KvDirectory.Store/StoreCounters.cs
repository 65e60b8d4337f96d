using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>The operation counters of <c>/v2/stats/store</c>; incremented from readers and the writer alike.</summary>
internal sealed class StoreCounters
{
    private long _getsSuccess;
    private long _getsFail;
    private long _expireCount;

    // Per StoreWrite kind: writes that returned their event, and writes refused.
    private readonly long[] _writesSucceeded = new long[Enum.GetValues<StoreWrite>().Length];
    private readonly long[] _writesFailed = new long[Enum.GetValues<StoreWrite>().Length];

    public void CountGet(bool success) => Interlocked.Increment(ref success ? ref _getsSuccess : ref _getsFail);

    public void CountWrite(StoreWrite kind, bool success) => Interlocked.Increment(ref (success ? _writesSucceeded : _writesFailed)[(int)kind]);

    public void CountExpire() => Interlocked.Increment(ref _expireCount);

    public StoreStatistics Snapshot(int watchers) => new()
    {
        GetsSuccess = Interlocked.Read(ref _getsSuccess),
        GetsFail = Interlocked.Read(ref _getsFail),
        SetsSuccess = Succeeded(StoreWrite.Set),
        SetsFail = Failed(StoreWrite.Set),
        DeleteSuccess = Succeeded(StoreWrite.Delete),
        DeleteFail = Failed(StoreWrite.Delete),
        UpdateSuccess = Succeeded(StoreWrite.Update),
        UpdateFail = Failed(StoreWrite.Update),
        CreateSuccess = Succeeded(StoreWrite.Create),
        CreateFail = Failed(StoreWrite.Create),
        CompareAndSwapSuccess = Succeeded(StoreWrite.CompareAndSwap),
        CompareAndSwapFail = Failed(StoreWrite.CompareAndSwap),
        CompareAndDeleteSuccess = Succeeded(StoreWrite.CompareAndDelete),
        CompareAndDeleteFail = Failed(StoreWrite.CompareAndDelete),
        ExpireCount = Interlocked.Read(ref _expireCount),
        Watchers = watchers,
    };

    private long Succeeded(StoreWrite kind) => Interlocked.Read(ref _writesSucceeded[(int)kind]);

    private long Failed(StoreWrite kind) => Interlocked.Read(ref _writesFailed[(int)kind]);
}
