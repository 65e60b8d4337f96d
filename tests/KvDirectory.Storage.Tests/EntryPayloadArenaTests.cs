using System.Runtime.InteropServices;
using KvDirectory.Raft;

namespace KvDirectory.Storage.Tests;

public sealed class EntryPayloadArenaTests
{
    private static Entry EntryOf(ulong index, int length) =>
        new(1, index, EntryType.Normal, Enumerable.Range(0, length).Select(i => (byte)(i + (int)index)).ToArray());

    private static byte[] ArrayOf(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) ? segment.Array! : throw new InvalidOperationException("not array-backed");

    [Fact]
    public void Packed_entries_carry_the_same_payloads_in_shared_large_object_heap_chunks()
    {
        var arena = new EntryPayloadArena();
        var entries = Enumerable.Range(1, 2_000).Select(i => EntryOf((ulong)i, 150 + i % 50)).ToList();

        var packed = arena.Pack(entries);

        packed.Should().Equal(entries, "an entry's equality compares its payload's bytes");
        var chunks = packed.Select(e => ArrayOf(e.Data)).Distinct().ToList();
        chunks.Should().HaveCount(2, "2,000 payloads of about 175 bytes fill two chunks of 256 KB");
        chunks.Should().AllSatisfy(chunk =>
        {
            chunk.Length.Should().Be(EntryPayloadArena.ChunkSize);
            GC.GetGeneration(chunk).Should().Be(GC.MaxGeneration, "a chunk lives on the large object heap, which young collections never copy");
        });
    }

    [Fact]
    public void A_payload_never_straddles_two_chunks_and_packing_continues_in_the_chunk_across_calls()
    {
        var arena = new EntryPayloadArena();
        var first = arena.Pack([EntryOf(1, 100)]);
        var second = arena.Pack([EntryOf(2, 100)]);
        ArrayOf(second[0].Data).Should().BeSameAs(ArrayOf(first[0].Data));

        var fill = EntryPayloadArena.LargestPacked;
        var packed = arena.Pack(Enumerable.Range(3, EntryPayloadArena.ChunkSize / fill + 1).Select(i => EntryOf((ulong)i, fill)).ToList());

        packed.Should().AllSatisfy(e => e.Data.Length.Should().Be(fill));
        packed.Select(e => ArrayOf(e.Data)).Distinct().Should().HaveCount(2, "the payload that no longer fits starts a new chunk");
        packed.Should().Equal(Enumerable.Range(3, packed.Length).Select(i => EntryOf((ulong)i, fill)));
    }

    [Fact]
    public void A_large_payload_gets_an_array_of_its_own_and_an_empty_one_stays_empty()
    {
        var arena = new EntryPayloadArena();
        var large = EntryOf(1, EntryPayloadArena.LargestPacked + 1);
        var empty = new Entry(1, 2);

        var packed = arena.Pack([large, empty, EntryOf(3, 10)]);

        ArrayOf(packed[0].Data).Length.Should().Be(large.Data.Length);
        packed[0].Should().Be(large);
        packed[1].Data.IsEmpty.Should().BeTrue();
        ArrayOf(packed[2].Data).Length.Should().Be(EntryPayloadArena.ChunkSize, "small payloads still share a chunk after a large one");
    }
}
