using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// Damage in the middle of the WAL is not a torn tail: acknowledged writes follow it, so the node must
/// refuse to start and name the file and offset instead of silently dropping them.
/// </summary>
public sealed class WalCorruptionTests(WrittenKeysFixture fixture, ITestOutputHelper output) : IClassFixture<WrittenKeysFixture>
{
    [Theory]
    [InlineData("payload")]
    [InlineData("length")]
    public async Task A_node_whose_WAL_is_damaged_in_the_middle_refuses_to_start_naming_the_file_and_offset(string damagedPart)
    {
        fixture.Log(output);
        using var copy = fixture.DataDir.CopyTo("kvdir-corrupt");
        var segment = copy.WalSegments()[^1];
        var records = WalFile.ReadRecords(await File.ReadAllBytesAsync(segment));
        var entries = records.Where(r => r.Type == WalRecordLocation.EntryType).ToList();
        var victim = entries[entries.Count / 2];
        var byteOffset = damagedPart == "payload" ? victim.Offset + 12 + (victim.PayloadLength / 2) : victim.Offset;
        WalFile.FlipByte(segment, byteOffset);
        output.WriteLine($"flipped byte {byteOffset} in the record at {victim.Offset} of {segment}");

        await using var node = await NodeProcess.StartExpectingExitAsync(copy, TimeSpan.FromSeconds(60));

        node.ExitCode.Should().NotBe(0, "a node that cannot trust its log must not look like it stopped normally:\n" + node.Output);
        node.Output.Should().Contain(segment, "the operator must know which file to look at").And.Contain($"at offset {victim.Offset}", "and where in it");
    }
}
