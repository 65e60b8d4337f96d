using KvDirectory.Raft;

namespace KvDirectory.Storage;

/// <summary>
/// Where the in-memory log keeps its entries' payloads: packed one after another in chunks on the large object heap.
/// Why: the log holds up to --snapshot-count entries, so every payload outlives the young generation, and a payload of
/// its own (one small array per write) cost each young collection a copy and a mark per write, about a third of what
/// the young collections copied under write load. A large-object chunk is never copied; it is reclaimed by a full
/// collection once compaction has dropped every entry in it (under writes the chunks set off a background one every
/// second or so, with under a millisecond of pause; chunks below the large object threshold were copied twice on their
/// way to the old generation and lengthened the pauses instead).
/// </summary>
internal sealed class EntryPayloadArena
{
    /// <summary>Above the large object threshold (85,000 bytes), so chunks are never copied by a collection.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>A payload this big gets an array of its own: packing it would waste up to this much of a chunk's tail.</summary>
    internal const int LargestPacked = ChunkSize / 8;

    private readonly Lock _gate = new();
    private byte[] _chunk = [];
    private int _used;

    /// <summary>The entries with their payloads copied into the arena (entries without payload stay as they are).</summary>
    public Entry[] Pack(IReadOnlyList<Entry> entries)
    {
        var packed = new Entry[entries.Count];
        lock (_gate)
        {
            for (var i = 0; i < packed.Length; i++)
            {
                var entry = entries[i];
                packed[i] = entry.Data.IsEmpty ? entry : entry with { Data = Copy(entry.Data.Span) };
            }
        }

        return packed;
    }

    private ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > LargestPacked)
        {
            return payload.ToArray();
        }

        if (_chunk.Length - _used < payload.Length)
        {
            // The old chunk's tail is left unused; the chunk lives on while entries in it do.
            _chunk = new byte[ChunkSize];
            _used = 0;
        }

        var slot = _chunk.AsMemory(_used, payload.Length);
        payload.CopyTo(slot.Span);
        _used += payload.Length;
        return slot;
    }
}
