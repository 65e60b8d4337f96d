using System.Text;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A crash during an unsynced append leaves the last WAL record cut anywhere: the file shorter ("cut"), or,
/// since segments are preallocated, the same length with zeros where the lost bytes were ("zeroed"). The
/// node must start anyway, drop only that record, say so in its log, and keep serving (and accepting) writes.
/// </summary>
public sealed class TornWalTailTests(WrittenKeysFixture fixture, ITestOutputHelper output) : IClassFixture<WrittenKeysFixture>
{
    [Theory]
    [InlineData("cut")]
    [InlineData("zeroed")]
    public async Task A_node_whose_last_WAL_record_is_cut_at_any_byte_starts_serves_every_earlier_write_and_logs_the_repair(string damage)
    {
        var seed = TestSeed.Next();
        var repro = TestSeed.Repro(seed, nameof(A_node_whose_last_WAL_record_is_cut_at_any_byte_starts_serves_every_earlier_write_and_logs_the_repair));
        output.WriteLine($"seed {seed}; {repro}");
        fixture.Log(output);

        var segment = fixture.DataDir.WalSegments()[^1];
        var data = await File.ReadAllBytesAsync(segment);
        var records = WalFile.ReadRecords(data);
        var lastValue = Encoding.UTF8.GetBytes(fixture.Written[^1].Value);
        var lastEntry = records.Last(r => r.Type == WalRecordLocation.EntryType);
        data.AsSpan((int)lastEntry.Offset, lastEntry.TotalSize).IndexOf(lastValue).Should().BeGreaterThan(0,
            "the last entry record of the WAL carries the last write (nothing else was proposed after it)");
        var end = records[^1].End;
        var boundaries = records.Select(r => r.Offset).Append(end).ToHashSet();
        output.WriteLine($"last segment {Path.GetFileName(segment)}: last entry at {lastEntry.Offset} ({lastEntry.TotalSize} bytes), records end at {end}; after it: {string.Join(", ", records.Where(r => r.Offset > lastEntry.Offset).Select(r => $"type {r.Type} at {r.Offset}"))}");

        // Every cut from just inside the last entry record to just before the end of the last record.
        var offsets = Enumerable.Range(0, (int)(end - lastEntry.Offset - 1)).Select(i => lastEntry.Offset + 1 + i).ToList();
        if (!TestSeed.IsLong)
        {
            var random = new Random(seed);
            offsets = offsets.OrderBy(_ => random.Next()).Take(8).Order().ToList();
        }

        output.WriteLine($"cutting at {offsets.Count} offsets: {string.Join(' ', offsets)}");
        await Parallel.ForEachAsync(offsets, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (offset, _) =>
        {
            using var copy = fixture.DataDir.CopyTo("kvdir-torn");
            var repairAt = damage == "cut" ? CutRepairOffset(records, boundaries, offset) : ZeroedRepairOffset(records, data, offset, end);
            if (damage == "cut")
            {
                WalFile.Truncate(copy.WalSegments()[^1], offset);
            }
            else
            {
                WalFile.Zero(copy.WalSegments()[^1], offset, end - offset);
            }

            var because = $"the WAL was {damage} at offset {offset} of {Path.GetFileName(segment)} (seed {seed}; {repro} --  mode {damage})";
            await using var node = await NodeProcess.StartAsync(copy);
            await fixture.VerifyServedAsync(node, because);
            if (repairAt is { } repaired)
            {
                node.Output.Should().Contain("WAL torn tail repaired", because).And.Contain($"at offset {repaired}", because);
            }

            using var client = new KeysClient(node.ClientUrl, 1);
            var after = await client.PutAsync("/torn/after-repair", "still-writable");
            after.IsSuccess.Should().BeTrue($"a repaired node accepts writes ({because}): {after.Text}\n{node.Output}");
        });
    }

    /// <summary>A cut inside a record leaves a partial record to drop; a cut on a boundary leaves a clean end.</summary>
    private static long? CutRepairOffset(List<WalRecordLocation> records, HashSet<long> boundaries, long offset) =>
        boundaries.Contains(offset) ? null : records.Last(r => r.Offset < offset).Offset;

    /// <summary>
    /// Zeros change nothing over padding, and a record zeroed from its first byte on is indistinguishable
    /// from unused preallocated space (a clean end); only a record that keeps some of its bytes is torn.
    /// </summary>
    private static long? ZeroedRepairOffset(List<WalRecordLocation> records, byte[] data, long offset, long end)
    {
        var changed = data.AsSpan((int)offset, (int)(end - offset)).IndexOfAnyExcept((byte)0);
        if (changed < 0)
        {
            return null;
        }

        var torn = records.Last(r => r.Offset <= offset + changed);
        return torn.Offset < offset ? torn.Offset : null;
    }
}
