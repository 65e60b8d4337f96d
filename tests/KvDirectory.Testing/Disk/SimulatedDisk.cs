using KvDirectory.Storage.FileSystem;

namespace KvDirectory.Testing.Disk;

/// <summary>
/// A disk that can lose power, for storage tests and simulations. It keeps what was fsynced apart from what was only
/// written: a file's bytes are durable after <see cref="IStorageFile.Flush"/>, a created, renamed or deleted name after
/// <see cref="IStorageFileSystem.SyncDirectory"/> of its directory. <see cref="LosePower"/> then decides, from its seed,
/// what of the rest survives: each unsynced write is lost, kept, torn (a prefix kept) or zeroed (its range reads as
/// zeros, as a file extended without its data); each unsynced length change kept or lost; a prefix of the unsynced name
/// changes kept, in order (a journaling file system's metadata). <see cref="FailAfter"/> cuts the power in the middle of
/// a later operation. Directories are durable once created (the storage creates them once, before anything else).
/// A disk made with <c>throwAfterPowerCut: false</c> does not throw at the cut: every operation from it on does nothing
/// (the machine is dead; what runs on it is a ghost until its owner notices <see cref="PowerLost"/>). That is for code
/// that cannot take an I/O error on a thread it does not own: LiteDB's writer thread dies and its waiters hang.
/// </summary>
public sealed class SimulatedDisk : IStorageFileSystem
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _locks = new(StringComparer.Ordinal);
    private Dictionary<string, SimulatedInode> _names = new(StringComparer.Ordinal);
    private Dictionary<string, SimulatedInode> _durableNames = new(StringComparer.Ordinal);
    private readonly List<NameChange> _unsyncedNames = [];
    private int? _operationsUntilPowerLoss;
    private bool _powerLost;

    private readonly bool _throwAfterPowerCut;
    private readonly bool _writesInOrder;

    /// <param name="seed">Decides what survives each power loss.</param>
    /// <param name="throwAfterPowerCut">False: past the cut, operations do nothing instead of throwing (see the type's remarks).</param>
    /// <param name="sectorSize">
    /// The unit a torn write keeps whole (1: any byte). Drives write a sector atomically; the WAL survives any byte-level
    /// tear, but LiteDB does not survive a torn header page (seen in <c>SnapshotStorePowerLossTests</c>).
    /// </param>
    /// <param name="writesInOrder">
    /// A file's unsynced writes reach the platter in the order they were made (a prefix survives a power loss), instead
    /// of each independently. LiteDB needs it: with writes reordered it can be left unopenable (its pages carry no checksums).
    /// </param>
    public SimulatedDisk(int seed, bool throwAfterPowerCut = true, int sectorSize = 1, bool writesInOrder = false)
    {
        _writesInOrder = writesInOrder;
        _random = new Random(seed);
        _throwAfterPowerCut = throwAfterPowerCut;
        SectorSize = sectorSize;
    }

    internal int SectorSize { get; }

    /// <summary>Every operation since the last restart, for failure messages.</summary>
    public int Operations { get; private set; }

    /// <summary>The power fails during the <paramref name="operations"/>+1-th mutating operation from now (0: the next).</summary>
    public void FailAfter(int operations)
    {
        lock (_gate) _operationsUntilPowerLoss = operations;
    }

    /// <summary>Calls off a cut set by <see cref="FailAfter"/> that has not happened yet.</summary>
    public void KeepPower()
    {
        lock (_gate) _operationsUntilPowerLoss = null;
    }

    /// <summary>
    /// Cuts the power now (if <see cref="FailAfter"/> has not already) and brings the disk back as it would come up:
    /// durable state plus whatever the seed lets survive of the rest. Open files and locks are gone.
    /// </summary>
    public void LosePower()
    {
        lock (_gate)
        {
            var survivingChanges = _random.Next(_unsyncedNames.Count + 1);
            foreach (var change in _unsyncedNames.Take(survivingChanges)) change.ApplyTo(_durableNames);
            _unsyncedNames.Clear();
            foreach (var inode in _durableNames.Values.Distinct()) inode.LosePower(_random, SectorSize, _writesInOrder);
            _names = new Dictionary<string, SimulatedInode>(_durableNames, StringComparer.Ordinal);
            _durableNames = new Dictionary<string, SimulatedInode>(_durableNames, StringComparer.Ordinal);
            _locks.Clear();
            _operationsUntilPowerLoss = null;
            _powerLost = false;
            Operations = 0;
            Generation++;
        }
    }

    /// <summary>
    /// The process dies but the machine keeps running: everything written stays (the page cache survives a SIGKILL),
    /// only open files and locks are gone. A later <see cref="LosePower"/> may still lose what was never fsynced.
    /// </summary>
    public void CrashProcess()
    {
        lock (_gate)
        {
            _locks.Clear();
            Generation++;
        }
    }

    /// <summary>Whether a <see cref="FailAfter"/> cut has happened (the disk refuses everything until <see cref="LosePower"/>).</summary>
    public bool PowerLost
    {
        get
        {
            lock (_gate) return _powerLost;
        }
    }

    /// <summary>The call stack of the operation the power failed in (the last <see cref="FailAfter"/> cut), for naming crash points.</summary>
    public string? PowerFailedIn { get; private set; }

    /// <summary>Bumped by every power loss or process crash: files opened before one refuse to work after it.</summary>
    internal int Generation { get; private set; }

    public void CreateDirectory(string directory)
    {
        lock (_gate)
        {
            if (Mutate()) _directories.Add(Normalize(directory));
        }
    }

    public bool DirectoryExists(string directory)
    {
        lock (_gate) return _directories.Contains(Normalize(directory));
    }

    public IReadOnlyList<string> ListFiles(string directory, string extension)
    {
        lock (_gate)
        {
            var dir = Normalize(directory);
            return [.. _names.Keys.Where(p => Path.GetDirectoryName(p) == dir && p.EndsWith(extension, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }
    }

    public byte[] ReadAllBytes(string path)
    {
        lock (_gate) return Find(path).Read();
    }

    public IStorageFile Open(string path, bool createNew)
    {
        lock (_gate)
        {
            path = Normalize(path);
            if (!createNew) return new SimulatedFile(this, Find(path));
            if (!Mutate()) return new SimulatedFile(this, new SimulatedInode());
            if (_names.ContainsKey(path)) throw new IOException($"{path} exists");
            if (!_directories.Contains(Path.GetDirectoryName(path)!)) throw new DirectoryNotFoundException(path);
            var inode = new SimulatedInode();
            Change(new NameChange(NameChangeKind.Create, path, null, inode));
            return new SimulatedFile(this, inode);
        }
    }

    public void Rename(string from, string to)
    {
        lock (_gate)
        {
            (from, to) = (Normalize(from), Normalize(to));
            var inode = Find(from);
            if (!Mutate()) return;
            if (_names.ContainsKey(to)) throw new IOException($"{to} exists");
            Change(new NameChange(NameChangeKind.Rename, to, from, inode));
        }
    }

    public void Delete(string path)
    {
        lock (_gate)
        {
            path = Normalize(path);
            if (!_names.TryGetValue(path, out var inode) || !Mutate()) return;
            Change(new NameChange(NameChangeKind.Delete, path, null, inode));
        }
    }

    public void SyncDirectory(string directory)
    {
        lock (_gate)
        {
            if (!Mutate()) return;
            var dir = Normalize(directory);
            // The directory's changes become durable; other directories' stay pending, in their order.
            foreach (var change in _unsyncedNames.Where(c => c.Directory == dir)) change.ApplyTo(_durableNames);
            _unsyncedNames.RemoveAll(c => c.Directory == dir);
        }
    }

    public IDisposable Lock(string path)
    {
        lock (_gate)
        {
            path = Normalize(path);
            if (!_locks.Add(path)) throw new IOException($"{path} is locked");
            var generation = Generation;
            return new Releaser(() =>
            {
                // A lock taken before a power loss died with it; releasing it must not free a later holder's.
                lock (_gate)
                {
                    if (Generation == generation) _locks.Remove(path);
                }
            });
        }
    }

    /// <summary>
    /// Counts a mutating operation; once the power is to fail, throws (and stays dead), or with
    /// <c>throwAfterPowerCut: false</c> returns false: the operation must then do nothing.
    /// </summary>
    internal bool Mutate()
    {
        if (_powerLost) return _throwAfterPowerCut ? throw new PowerLossException() : false;
        Operations++;
        if (_operationsUntilPowerLoss is { } left)
        {
            if (left <= 0)
            {
                _powerLost = true;
                PowerFailedIn = Environment.StackTrace;
                return _throwAfterPowerCut ? throw new PowerLossException() : false;
            }

            _operationsUntilPowerLoss = left - 1;
        }

        return true;
    }

    internal Lock Gate => _gate;

    /// <summary>Whether the power fails during this write: then a random part of it has reached the file first.</summary>
    internal bool PowerFailsNow(out Random random)
    {
        random = _random;
        if (_powerLost && _throwAfterPowerCut) throw new PowerLossException();
        return !_powerLost && _operationsUntilPowerLoss is <= 0;
    }

    private void Change(NameChange change)
    {
        change.ApplyTo(_names);
        _unsyncedNames.Add(change);
    }

    private SimulatedInode Find(string path) =>
        _names.TryGetValue(Normalize(path), out var inode) ? inode : throw new FileNotFoundException($"{path} does not exist", path);

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);

    private sealed class Releaser(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
