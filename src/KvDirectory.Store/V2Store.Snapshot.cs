using System.Security.Cryptography;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>The capture being written, or written and not yet released; changed under the write lock.</summary>
    private TreeCapture? _capture;
    private int _captureEpoch;

    /// <summary>
    /// Set (under the write lock) when <see cref="TryCaptureSnapshot"/> was refused because a backup's capture was open,
    /// completed when it gets one: a backup that comes next gives way, so back-to-back backups cannot starve the
    /// log's snapshot (and the log grow without bound).
    /// </summary>
    private TaskCompletionSource? _applierWaits;

    /// <summary>How long a backup gives way to a refused snapshot capture; the node asks again at every tick.</summary>
    internal static readonly TimeSpan BackupGivesWayFor = TimeSpan.FromSeconds(1);

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
    /// capture is open at a time. This is the applier's way (the log's snapshot): a refusal makes the next backup wait
    /// for it (<see cref="CaptureSnapshotAsync"/>).
    /// </summary>
    public TreeCapture? TryCaptureSnapshot()
    {
        TaskCompletionSource? waited;
        TreeCapture capture;
        _lock.EnterWriteLock();
        try
        {
            if (_capture is { IsWritten: false })
            {
                _applierWaits ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return null;
            }

            capture = OpenCapture();
            waited = _applierWaits;
            _applierWaits = null;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        waited?.TrySetResult();
        return capture;
    }

    /// <summary>
    /// A backup's capture: as <see cref="TryCaptureSnapshot"/>, waiting for an earlier capture to be written first.
    /// Writes go on while it serialises, where a read lock held for the whole tree stalled them. When the applier's
    /// capture was refused meanwhile, the backup lets it go first (for at most <see cref="BackupGivesWayFor"/>).
    /// </summary>
    public async Task<TreeCapture> CaptureSnapshotAsync(CancellationToken cancellationToken)
    {
        var gaveWay = false;
        while (true)
        {
            Task earlier;
            TimeSpan limit; // an open capture is waited for as long as it takes to write; the node's turn is bounded
            _lock.EnterWriteLock();
            try
            {
                if (_capture is { IsWritten: false } open)
                {
                    earlier = open.Written;
                    limit = Timeout.InfiniteTimeSpan;
                }
                else if (_applierWaits is { } applier && !gaveWay)
                {
                    earlier = applier.Task;
                    limit = BackupGivesWayFor;
                    gaveWay = true;
                }
                else
                {
                    return OpenCapture();
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            try
            {
                await earlier.WaitAsync(limit, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The node did not take its capture in time (stopping, or a long heartbeat): the backup goes ahead.
            }
        }
    }

    /// <summary>Under the write lock, with no capture open.</summary>
    private TreeCapture OpenCapture()
    {
        ReleaseWrittenCapture();
        _capture = new TreeCapture(++_captureEpoch, _root, _authRoot, _currentIndex);
        return _capture;
    }

    /// <summary>
    /// Replaces the tree with a snapshot. The history no longer describes the new tree, so it is
    /// emptied, and live watchers are completed (their clients re-watch against the new state).
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a valid snapshot; the store is unchanged.</exception>
    public void RestoreSnapshot(ReadOnlySpan<byte> snapshot)
    {
        var (root, authRoot, currentIndex) = TreeSnapshotFormat.Read(snapshot);
        TaskCompletionSource? waited; // the node's snapshot is the one restored: a backup waiting for it goes ahead
        _lock.EnterWriteLock();
        try
        {
            // A capture still being written keeps reading the old tree, which nothing changes once it is replaced.
            ReleaseWrittenCapture();
            _capture = null;
            waited = _applierWaits;
            _applierWaits = null;
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

        waited?.TrySetResult();
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
