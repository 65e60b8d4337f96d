using System.Security.Cryptography;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>The whole tree, the auth namespace and the current index; history, watchers and counters are not part of it.</summary>
    public byte[] SaveSnapshot()
    {
        _lock.EnterReadLock();
        try
        {
            return TreeSnapshotFormat.Write(_root, _authRoot, _currentIndex);
        }
        finally
        {
            _lock.ExitReadLock();
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
            _root = root;
            _authRoot = authRoot;
            Interlocked.Exchange(ref _currentIndex, currentIndex);
            _expirations.Clear();
            TrackExpirations(root);
            _history.Reset(currentIndex);
            _watchers.RemoveAll();
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
            return (_currentIndex, Convert.ToHexStringLower(SHA256.HashData(TreeSnapshotFormat.Write(_root, _authRoot, _currentIndex))));
        }
        finally
        {
            _lock.ExitReadLock();
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
            foreach (var child in children.Values)
            {
                TrackExpirations(child);
            }
        }
    }
}
