using System.Security.Cryptography;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>The capture being written, or written and not yet released; changed under the write lock.</summary>
    private TreeCapture? _capture;
    private int _captureEpoch;

    /// <summary>
    /// The whole tree, the auth namespace and the current index; history, watchers and counters are not part of it.
    /// Serialised under the read lock, so writes wait for it: a running node's backup takes <see cref="CaptureSnapshotAsync"/>.
    /// </summary>
    public byte[] SaveSnapshot()
    {
        _lock.EnterReadLock();
        try
        {
            return TreeSnapshotFormat.Write(_root, _authRoot, _currentIndex, capture: null);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The tree as it is now, in O(1), from any thread; then <see cref="TreeCapture.Write"/> it on any thread while
    /// writes go on. Until it is written each write preserves the old state of the nodes it changes (once per node; a
    /// directory's child list costs O(children) once). Null while an earlier capture is still being written: one
    /// capture is open at a time.
    /// </summary>
    public TreeCapture? TryCaptureSnapshot() => TryCapture(out _);

    /// <summary>
    /// As <see cref="TryCaptureSnapshot"/>, waiting for an earlier capture to be written first. A backup takes this
    /// way: writes go on while it serialises, where a read lock held for the whole tree stalled them.
    /// </summary>
    public async Task<TreeCapture> CaptureSnapshotAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryCapture(out var earlierWritten) is { } capture)
            {
                return capture;
            }

            await earlierWritten!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private TreeCapture? TryCapture(out Task? earlierWritten)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_capture is { IsWritten: false } open)
            {
                earlierWritten = open.Written;
                return null;
            }

            earlierWritten = null;
            ReleaseWrittenCapture();
            _capture = new TreeCapture(++_captureEpoch, _root, _authRoot, _currentIndex);
            return _capture;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Replaces the tree with a snapshot. The history no longer describes the new tree, so it is
    /// emptied, and live watchers are completed (their clients re-watch against the new state).
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a valid snapshot; the store is unchanged.</exception>
    public void RestoreSnapshot(ReadOnlySpan<byte> snapshot)
    {
        var (root, authRoot, currentIndex) = TreeSnapshotFormat.Read(snapshot);
        _lock.EnterWriteLock();
        try
        {
            // A capture still being written keeps reading the old tree, which nothing changes once it is replaced.
            ReleaseWrittenCapture();
            _capture = null;
            _root = root;
            _authRoot = authRoot;
            Interlocked.Exchange(ref _currentIndex, currentIndex);
            _expirations.Clear();
            TrackExpirations(root);
            _history.Reset(currentIndex);
            _watchers.RemoveAll();
            _listings.Clear();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Hex SHA-256 of the canonical snapshot bytes: equal trees at equal indexes give equal digests.</summary>
    public string ComputeDigest() => ComputeIndexedDigest().Sha256;

    /// <summary>The digest together with the index it was taken at (one read of the tree, so the pair is consistent).</summary>
    public (long Index, string Sha256) ComputeIndexedDigest()
    {
        _lock.EnterReadLock();
        try
        {
            return (_currentIndex, DigestOf(TreeSnapshotFormat.Write(_root, _authRoot, _currentIndex, capture: null)));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The digest of snapshot bytes (from <see cref="SaveSnapshot"/> or a written <see cref="TreeCapture"/>).</summary>
    public static string DigestOf(ReadOnlySpan<byte> snapshot) => Convert.ToHexStringLower(SHA256.HashData(snapshot));

    /// <summary>Under the write lock: once a capture is written its preserved copies can go.</summary>
    private void ReleaseWrittenCapture()
    {
        if (_capture is { IsWritten: true } written)
        {
            written.Release();
            _capture = null;
        }
    }

    private void TrackExpirations(TreeNode node)
    {
        if (!node.IsPermanent)
        {
            _expirations.Push(node);
        }

        if (node.Children is { } children)
        {
            foreach (var child in children)
            {
                TrackExpirations(child);
            }
        }
    }
}
