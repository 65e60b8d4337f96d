using KvDirectory.Raft;

namespace KvDirectory.Storage.Tests;

/// <summary>Entries with recognisable payloads.</summary>
internal static class LogBuilder
{
    public static Entry Entry(ulong index, ulong term, int size = 16)
    {
        var data = new byte[size];
        for (var i = 0; i < size; i++) data[i] = (byte)((index * 31) + term + (ulong)i);
        return new Entry(term, index, EntryType.Normal, data);
    }

    public static Entry[] Entries(ulong first, ulong last, ulong term, int size = 16)
    {
        var result = new Entry[last - first + 1];
        for (var i = first; i <= last; i++) result[i - first] = Entry(i, term, size);
        return result;
    }

    /// <summary>Appends in batches of five, as a driver would; segments are only cut between batches.</summary>
    public static void AppendInBatches(WriteAheadLog log, ulong first, ulong last, ulong term, int size = 100)
    {
        for (var start = first; start <= last; start += 5) log.Append(null, Entries(start, Math.Min(start + 4, last), term, size));
    }

    public static WalOptions SmallSegments(bool preallocate = false) =>
        new() { SegmentSizeBytes = 4096, Preallocate = preallocate, MaxRetainedSegments = 2 };
}
