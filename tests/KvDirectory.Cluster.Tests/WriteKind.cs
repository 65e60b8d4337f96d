namespace KvDirectory.Cluster.Tests;

/// <summary>What a write of the crash workload does to its key.</summary>
public enum WriteKind
{
    Set,
    Create,
    CompareAndSwapByValue,
    CompareAndSwapByIndex,
    Delete,
    CompareAndDelete,
    SetWithLongTtl,
    SetWithShortTtl,
    PostInOrder,
}
