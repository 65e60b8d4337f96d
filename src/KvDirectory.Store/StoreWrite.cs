namespace KvDirectory.Store;

/// <summary>The kinds of write <c>/v2/stats/store</c> counts, each as a success or a failure.</summary>
internal enum StoreWrite
{
    Set,
    Create,
    Update,
    CompareAndSwap,
    Delete,
    CompareAndDelete,
}
