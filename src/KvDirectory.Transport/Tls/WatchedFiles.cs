namespace KvDirectory.Transport.Tls;

/// <summary>
/// A value loaded from files and loaded again when one of them changes (size or write time), so certificates can be
/// rotated by replacing the files, without a restart. Checking costs a stat per file and is done at most once per
/// <see cref="RecheckInterval"/>, so a burst of handshakes does not stat the disk for each one.
/// </summary>
public sealed class WatchedFiles<T>
    where T : class
{
    /// <summary>How stale a check may be; a rotated file is picked up by the first handshake after this.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly string[] _paths;
    private readonly Func<T> _load;
    private readonly Action<Exception> _reloadFailed;
    private readonly Action? _reloaded;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private (long Length, DateTime Written)[] _stamps;
    private long _checkedAt;
    private T _current;

    /// <summary>Loads now: a file that is missing or unreadable throws here, before anything listens.</summary>
    public WatchedFiles(IReadOnlyList<string> paths, Func<T> load, Action<Exception> reloadFailed, TimeProvider? time = null, Action? reloaded = null)
    {
        _reloaded = reloaded;
        _paths = [.. paths];
        _load = load;
        _reloadFailed = reloadFailed;
        _time = time ?? TimeProvider.System;
        _stamps = Stamp();
        _current = load();
        _checkedAt = _time.GetTimestamp();
    }

    /// <summary>The value, reloaded first if a file changed; a failed reload (a half-written file) keeps the last good one.</summary>
    public T Current
    {
        get
        {
            lock (_gate)
            {
                if (_time.GetElapsedTime(_checkedAt) < RecheckInterval)
                {
                    return _current;
                }

                _checkedAt = _time.GetTimestamp();
                var stamps = Stamp();
                if (stamps.AsSpan().SequenceEqual(_stamps))
                {
                    return _current;
                }

                try
                {
                    _current = _load();
                    _stamps = stamps;
                    _reloaded?.Invoke();
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    // Not recorded as seen: the next check tries again, once the writer has finished.
                    _reloadFailed(error);
                }

                return _current;
            }
        }
    }

    private (long, DateTime)[] Stamp() =>
        [.. _paths.Select(path => new FileInfo(path) is { Exists: true } file ? (file.Length, file.LastWriteTimeUtc) : (-1L, DateTime.MinValue))];
}
