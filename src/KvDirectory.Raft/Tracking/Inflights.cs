namespace KvDirectory.Raft.Tracking;

/// <summary>
/// The last indexes of append messages sent to a follower and not yet acknowledged; bounds how far the
/// leader pipelines ahead of the follower.
/// </summary>
internal sealed class Inflights(int capacity)
{
    private readonly Queue<ulong> _indexes = new();

    public int Capacity { get; } = capacity;

    public int Count => _indexes.Count;

    public bool IsFull => _indexes.Count >= Capacity;

    public void Add(ulong lastIndex) => _indexes.Enqueue(lastIndex);

    /// <summary>Acknowledges every message whose last index is at or below <paramref name="index"/>.</summary>
    public void FreeLE(ulong index)
    {
        while (_indexes.TryPeek(out var head) && head <= index) _indexes.Dequeue();
    }

    /// <summary>Frees the oldest slot; used when a heartbeat shows the follower alive but the window is stuck.</summary>
    public void FreeFirstOne() => _indexes.TryDequeue(out _);

    public void Reset() => _indexes.Clear();
}
