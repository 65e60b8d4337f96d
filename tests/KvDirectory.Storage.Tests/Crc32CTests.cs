using System.Text;

namespace KvDirectory.Storage.Tests;

public sealed class Crc32CTests
{
    [Fact]
    public void Checksum_of_the_standard_check_string_is_the_published_CRC32C_value()
    {
        Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xE3069283u);
    }

    [Fact]
    public void Appending_in_pieces_equals_checksumming_the_whole()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var pieces = Crc32C.Append(Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 3)), data.AsSpan(3, 500)), data.AsSpan(503));
        pieces.Should().Be(Crc32C.Compute(data));
    }

    [Fact]
    public void Empty_input_has_checksum_zero()
    {
        Crc32C.Compute([]).Should().Be(0u);
    }
}
