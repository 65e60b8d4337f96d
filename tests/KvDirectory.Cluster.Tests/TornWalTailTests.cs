using System.Text;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A crash during an unsynced append leaves the last WAL record cut anywhere. The node must start anyway,
/// drop only that record, say so in its log, and keep serving (and accepting) writes.
/// </summary>
public sealed class TornWalTailTests(WrittenKeysFixture fixture, ITestOutputHelper output) : IClassFixture<WrittenKeysFixture>
{
    [Fact]
    public async Task A_node_whose_last_WAL_record_is_cut_at_any_byte_starts_serves_every_earlier_write_and_logs_the_repair()
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
            offsets = offsets.OrderBy(_ => random.Next()).Take(20).Order().ToList();
        }

        output.WriteLine($"cutting at {offsets.Count} offsets: {string.Join(' ', offsets)}");
        await Parallel.ForEachAsync(offsets, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (offset, _) =>
        {
            using var copy = fixture.DataDir.CopyTo("kvdir-torn");
            WalFile.Truncate(copy.WalSegments()[^1], offset);
            var because = $"the WAL was cut at offset {offset} of {Path.GetFileName(segment)} (seed {seed}; {repro})";
            await using var node = await NodeProcess.StartAsync(copy);
            await fixture.VerifyServedAsync(node, because);
            if (!boundaries.Contains(offset))
            {
                node.Output.Should().Contain("WAL torn tail repaired", because).And.Contain($"at offset {RecordStartBefore(records, offset)}", because);
            }

            using var client = new KeysClient(node.ClientUrl, 1);
            var after = await client.PutAsync("/torn/after-repair", "still-writable");
            after.IsSuccess.Should().BeTrue($"a repaired node accepts writes ({because}): {after.Text}\n{node.Output}");
        });
    }

    private static long RecordStartBefore(List<WalRecordLocation> records, long offset) => records.Last(r => r.Offset < offset).Offset;
}
