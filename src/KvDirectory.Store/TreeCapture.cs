using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Store;

/// <summary>
/// A snapshot of the tree (and the auth namespace's tree) taken in O(1) (<see cref="V2Store.TryCaptureSnapshot"/>) and serialised
/// later on another thread. While it is open, the applier preserves a node's fields and children (once per capture,
/// before the first change) so the serialiser still sees the tree as it was at the capture; see
/// <see cref="TreeNode.Read"/>. The nodes preserved are remembered so the copies can be dropped once it is written.
/// </summary>
public sealed class TreeCapture
{
    private readonly TreeNode _root;
    private readonly TreeNode _authRoot;
    private readonly List<TreeNode> _preserved = [];
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;

    internal TreeCapture(int epoch, TreeNode root, TreeNode authRoot, long currentIndex)
    {
        Epoch = epoch;
        _root = root;
        _authRoot = authRoot;
        CurrentIndex = currentIndex;
    }

    /// <summary>The store index the capture was taken at.</summary>
    public long CurrentIndex { get; }

    internal int Epoch { get; }

    /// <summary>True once <see cref="Write"/> finished: the applier no longer needs to preserve anything for it.</summary>
    internal bool IsWritten => _written.Task.IsCompleted;

    /// <summary>Completes when <see cref="Write"/> finished (a waiting capture may then be taken).</summary>
    internal Task Written => _written.Task;

    /// <summary>The snapshot bytes (the same as <see cref="V2Store.SaveSnapshot"/> at the capture); once, on any thread.</summary>
    public byte[] Write()
    {
        using var buffer = new SegmentedBufferWriter(SegmentedBufferWriter.SegmentSize);
        WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>As <see cref="Write"/>, appended to <paramref name="output"/> (after a header of the caller's, say).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        if (Interlocked.Exchange(ref _writes, 1) != 0)
        {
            throw new InvalidOperationException("A tree capture is written once.");
        }

        try
        {
            TreeSnapshotFormat.Write(output, _root, _authRoot, CurrentIndex, this);
        }
        finally
        {
            _written.TrySetResult();
        }
    }

    /// <summary>Applier thread: a node now holds a copy for this capture.</summary>
    internal void Preserved(TreeNode node) => _preserved.Add(node);

    /// <summary>Applier thread, once the capture is written (or abandoned): drops the copies it made the nodes keep.</summary>
    internal void Release()
    {
        foreach (var node in _preserved)
        {
            node.DropPreserved(Epoch);
        }

        _preserved.Clear();
    }
}
