using System.Text;
using KvDirectory.Raft;
using KvDirectory.Storage.FileSystem;
using KvDirectory.Testing.Disk;

namespace KvDirectory.Storage.Tests.PowerLoss;

/// <summary>
/// One seeded life of a write-ahead log on a <see cref="SimulatedDisk"/>: open, append (sometimes overwriting a
/// suffix, as a follower does), save hard states and snapshot markers, release old segments — until the power fails
/// in the middle of some operation; then power up, reopen, and check that recovery succeeded and that everything
/// acknowledged (an append, marker or hard state that returned) is there. Several power losses per life.
/// <paramref name="decorate"/> wraps the disk, so a test can break the log's fsync discipline and see this catch it.
/// </summary>
internal sealed class WalPowerCut(int seed, Func<IStorageFileSystem, IStorageFileSystem>? decorate = null)
{
    private const string Directory = "/simulated/member/wal";
    private const int PowerLosses = 4;

    private readonly Random _random = new(seed);
    private readonly StringBuilder _timeline = new();

    // What the log acknowledged: entries by index, the hard state, the snapshot marker.
    private readonly SortedDictionary<ulong, Entry> _entries = [];
    private HardState _hardState;
    private ulong _marker;

    // The operation the power failed in: its effects may or may not have survived.
    private (ulong FirstIndex, IReadOnlyList<Entry> Entries, HardState? HardState)? _inFlight;

    public List<string> Violations { get; } = [];

    public int Acknowledged { get; private set; }

    public string Timeline => _timeline.ToString();

    public WalPowerCut Run()
    {
        var disk = new SimulatedDisk(seed);
        var options = WalOptions.Default with
        {
            SegmentSizeBytes = 4096,
            Preallocate = _random.Next(2) == 0,
            MaxRetainedSegments = _random.Next(3),
            FileSystem = decorate?.Invoke(disk) ?? disk,
        };
        for (var life = 0; life <= PowerLosses && Violations.Count == 0; life++)
        {
            WriteAheadLog wal;
            try
            {
                (wal, var recovery) = WriteAheadLog.Open(Directory, options);
                Check(life, recovery);
            }
            catch (Exception error) when (error is WalCorruptedException or IOException or InvalidDataException)
            {
                Violations.Add($"after power loss {life}: the log does not open: {error.GetType().Name}: {error.Message}");
                break;
            }

            if (life == PowerLosses)
            {
                wal.Dispose();
                break;
            }

            disk.FailAfter(_random.Next(1, 80));
            try
            {
                while (true) Step(wal);
            }
            catch (PowerLossException)
            {
                _timeline.AppendLine($"power lost after {disk.Operations} disk operations");
            }

            disk.LosePower();
        }

        return this;
    }

    private void Step(WriteAheadLog wal)
    {
        var last = _entries.Count == 0 ? _marker : Math.Max(_marker, _entries.Keys.Last());
        var roll = _random.Next(20);
        if (roll == 0 && last > _marker)
        {
            var index = _marker + 1 + (ulong)_random.Next((int)(last - _marker));
            var term = _entries.TryGetValue(index, out var e) ? e.Term : 1;
            _inFlight = null;
            _timeline.AppendLine($"marker {index}");
            wal.SaveSnapshotMarker(index, term);
            _marker = Math.Max(_marker, index);
            foreach (var gone in _entries.Keys.Where(k => k <= _marker).ToArray()) _entries.Remove(gone);
            wal.ReleaseBefore(_marker);
            return;
        }

        // Mostly appends at the end; sometimes a follower's overwrite of the last few uncommitted entries in a new term.
        var floor = Math.Max(_marker, _hardState.Commit) + 1;
        var first = roll == 1 && last >= floor ? last - (ulong)_random.Next((int)Math.Min(3, last - floor + 1)) : last + 1;
        var termNow = (_entries.Count == 0 ? 1 : _entries.Values.Max(x => x.Term)) + (first <= last ? 1UL : 0UL);
        var entries = Enumerable.Range(0, 1 + _random.Next(6))
            .Select(i => new Entry(termNow, first + (ulong)i, EntryType.Normal, Payload(first + (ulong)i, termNow)))
            .ToArray();
        // A commit index never beyond what is written (and so never over what a later overwrite may replace).
        HardState? hardState = _random.Next(3) == 0 ? new HardState(termNow, 1, first - 1 > _hardState.Commit ? first - 1 : _hardState.Commit) : null;
        _inFlight = (first, entries, hardState);
        _timeline.AppendLine($"append {first}..{entries[^1].Index} term {termNow}{(hardState is null ? string.Empty : " + hard state")}");
        wal.Append(hardState, entries);
        _inFlight = null;
        foreach (var gone in _entries.Keys.Where(k => k >= first).ToArray()) _entries.Remove(gone);
        foreach (var entry in entries) _entries[entry.Index] = entry;
        if (hardState is { } state) _hardState = state;
        Acknowledged += entries.Length;
    }

    private void Check(int life, WalRecoveryResult recovery)
    {
        if (recovery.Snapshot.Index < _marker)
            Violations.Add($"after power loss {life}: acknowledged snapshot marker {_marker} lost (log has {recovery.Snapshot.Index})");
        var hardStateOk = recovery.HardState == _hardState || (_inFlight?.HardState is { } pending && recovery.HardState == pending);
        if (!hardStateOk)
            Violations.Add($"after power loss {life}: acknowledged hard state {_hardState} lost (log has {recovery.HardState})");

        var recovered = recovery.Entries.ToDictionary(e => e.Index);
        // An overwrite in flight either did not land (the acknowledged entries are all there) or landed in part:
        // then a prefix of it replaced everything from its first index on.
        var overwritten = _inFlight is { } f && recovered.TryGetValue(f.FirstIndex, out var atFirst) && Same(atFirst, f.Entries[0]);
        foreach (var (index, entry) in _entries.Where(p => p.Key > recovery.ReplayedAfter))
        {
            if (overwritten && index >= _inFlight!.Value.FirstIndex)
            {
                if (recovered.TryGetValue(index, out var landed) && !_inFlight.Value.Entries.Any(e => Same(e, landed)))
                    Violations.Add($"after power loss {life}: entry {index} is neither acknowledged nor part of the overwrite in flight");
                continue;
            }

            if (!recovered.TryGetValue(index, out var got) || !Same(got, entry))
            {
                Violations.Add($"after power loss {life}: acknowledged entry {index} (term {entry.Term}) lost or changed");
                break;
            }
        }

        // What the log now holds is what this life goes on from.
        _entries.Clear();
        foreach (var entry in recovery.Entries) _entries[entry.Index] = entry;
        _hardState = recovery.HardState;
        _marker = recovery.Snapshot.Index;
        _inFlight = null;
        _timeline.AppendLine($"power up {life}: marker {_marker}, entries {recovery.ReplayedAfter + 1}..{(recovery.Entries.Count == 0 ? recovery.ReplayedAfter : recovery.Entries[^1].Index)}, {recovery.HardState}{(recovery.TailRepaired ? ", tail repaired" : string.Empty)}");
    }

    private static bool Same(Entry a, Entry b) => a.Index == b.Index && a.Term == b.Term && a.Data.Span.SequenceEqual(b.Data.Span);

    private static byte[] Payload(ulong index, ulong term) => Encoding.UTF8.GetBytes($"entry {index} of term {term}");
}
