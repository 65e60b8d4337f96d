using System.Buffers;

namespace KvDirectory.Wire.Tests;

public sealed class WireToolkitTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7F")]
    [InlineData(128UL, "8001")]
    [InlineData(300UL, "AC02")]
    [InlineData(ulong.MaxValue, "FFFFFFFFFFFFFFFFFF01")]
    public void Unsigned_varints_are_leb128_and_read_back(ulong value, string hex)
    {
        var bytes = Write(w => w.UnsignedVarint(value));

        Convert.ToHexString(bytes).Should().Be(hex);
        WireWriter.VarintSize(value).Should().Be(bytes.Length);
        var reader = new WireReader(bytes);
        reader.UnsignedVarint().Should().Be(value);
        reader.AtEnd.Should().BeTrue();
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-64L, "7F")]
    [InlineData(long.MinValue, "FFFFFFFFFFFFFFFFFF01")]
    [InlineData(long.MaxValue, "FEFFFFFFFFFFFFFFFF01")]
    public void Signed_varints_are_zig_zag(long value, string hex)
    {
        var bytes = Write(w => w.SignedVarint(value));

        Convert.ToHexString(bytes).Should().Be(hex);
        new WireReader(bytes).SignedVarint().Should().Be(value);
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFFFF02", "overflows")]
    [InlineData("FFFFFFFFFFFFFFFFFF81", "overflows")]
    [InlineData("8080808080808080808000", "overflows")]
    [InlineData("8080", "ends early")]
    [InlineData("", "ends early")]
    public void Varints_wider_than_64_bits_or_cut_short_are_refused(string hex, string why)
    {
        var bytes = Convert.FromHexString(hex);

        var read = () => new WireReader(bytes).UnsignedVarint();

        read.Should().Throw<WireFormatException>().WithMessage($"*{why}*");
    }

    [Theory]
    [InlineData(LengthPrefix.Varint, "03616263")]
    [InlineData(LengthPrefix.UInt16BigEndian, "0003616263")]
    [InlineData(LengthPrefix.Int32LittleEndian, "03000000616263")]
    [InlineData(LengthPrefix.Int32BigEndian, "00000003616263")]
    public void Each_length_prefix_writes_its_own_layout(LengthPrefix prefix, string hex)
    {
        var bytes = Write(w => w.String("abc", prefix));

        Convert.ToHexString(bytes).Should().Be(hex);
        WireWriter.StringSize("abc", prefix).Should().Be(bytes.Length);
        new WireReader(bytes).String(prefix).Should().Be("abc");
    }

    [Theory]
    [InlineData(LengthPrefix.Varint, "FFFFFFFF0F")]
    [InlineData(LengthPrefix.UInt16BigEndian, "FFFF61")]
    [InlineData(LengthPrefix.Int32LittleEndian, "FFFFFF7F61")]
    [InlineData(LengthPrefix.Int32LittleEndian, "FFFFFFFF61")]
    [InlineData(LengthPrefix.Int32BigEndian, "8000000061")]
    public void A_length_past_the_end_or_negative_is_refused_before_anything_is_allocated(LengthPrefix prefix, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        long allocated;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            new WireReader(bytes).ChunkArray(prefix);
            allocated = -1;
        }
        catch (WireFormatException)
        {
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        allocated.Should().BeInRange(0, 16 * 1024, "the read fails with the format error, having allocated no more than the exception");
    }

    [Fact]
    public void A_count_is_bounded_by_the_smallest_item_that_could_follow()
    {
        // 3 ids of 8 bytes need 24 bytes; 16 are left.
        var bytes = Convert.FromHexString("00000003" + new string('0', 32));

        var read = () => new WireReader(bytes).UInt64List(LengthPrefix.Int32BigEndian, bigEndian: true);

        read.Should().Throw<WireFormatException>().WithMessage("*runs past the end*");
    }

    [Fact]
    public void Invalid_utf8_and_bad_booleans_are_format_errors()
    {
        var utf8 = () => new WireReader([2, 0xC3, 0x28]).String();
        var boolean = () => new WireReader([2]).Bool();
        var version = () => new WireReader([9]).Version(1, "thing");

        utf8.Should().Throw<WireFormatException>().WithMessage("*UTF-8*");
        boolean.Should().Throw<WireFormatException>().WithMessage("*boolean*");
        version.Should().Throw<WireFormatException>().WithMessage("thing has unknown format version 9*");
    }

    [Fact]
    public void Trailing_bytes_are_refused_by_expect_end()
    {
        var reader = new WireReader([1, 2]);
        reader.Byte();

        try
        {
            reader.ExpectEnd();
            Assert.Fail("one byte was left");
        }
        catch (WireFormatException error)
        {
            error.Message.Should().Contain("1 unexpected trailing bytes");
        }
    }

    [Fact]
    public void Optional_times_keep_utc_ticks_and_refuse_ticks_out_of_range()
    {
        var time = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.FromHours(2));
        var bytes = Write(w =>
        {
            w.OptionalTime(time);
            w.OptionalTime(null);
        });
        var reader = new WireReader(bytes);

        var read = reader.OptionalTime();
        read.Should().Be(time);
        read!.Value.Offset.Should().Be(TimeSpan.Zero, "read back as UTC");
        reader.OptionalTime().Should().BeNull();
        var outOfRange = () => new WireReader([1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).OptionalTime();
        outOfRange.Should().Throw<WireFormatException>().WithMessage("*out of range*");
    }

    [Fact]
    public void A_writer_over_a_buffer_that_lends_small_spans_writes_everything_in_order()
    {
        var output = new StingyBufferWriter();
        var writer = new WireWriter(output);
        long expected = 0;
        for (var i = 0; i < 500; i++)
        {
            expected += 8 + WireWriter.StringSize(new string('a', i % 300)) + 1;
            writer.UInt64BigEndian((ulong)i);
            writer.String(new string((char)('a' + (i % 26)), i % 300));
            writer.Bool(i % 2 == 0);
        }

        writer.Written.Should().Be(expected);
        var written = writer.Written;
        writer.Flush();
        output.Bytes.Should().HaveCount((int)written);
        var reader = new WireReader(output.Bytes.ToArray());
        for (var i = 0; i < 500; i++)
        {
            reader.UInt64BigEndian().Should().Be((ulong)i);
            reader.String().Should().Be(new string((char)('a' + (i % 26)), i % 300));
            reader.Bool().Should().Be(i % 2 == 0);
        }

        reader.AtEnd.Should().BeTrue();
    }

    [Fact]
    public void A_writer_over_a_span_that_is_too_small_is_a_bug_not_a_format_error()
    {
        var write = () =>
        {
            var writer = new WireWriter(new byte[4]);
            writer.UInt64LittleEndian(1);
        };

        write.Should().Throw<InvalidOperationException>().WithMessage("*too small*");
    }

    private delegate void Writing(ref WireWriter writer);

    private static byte[] Write(Action<WireWriterBox> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var box = new WireWriterBox(buffer);
        write(box);
        return box.Finish();
    }

    /// <summary>A lambda cannot capture a ref struct: this holds the buffer and writes through a fresh writer per call.</summary>
    private sealed class WireWriterBox(ArrayBufferWriter<byte> buffer)
    {
        public void UnsignedVarint(ulong value) => With((ref WireWriter w) => w.UnsignedVarint(value));

        public void SignedVarint(long value) => With((ref WireWriter w) => w.SignedVarint(value));

        public void String(string value, LengthPrefix prefix) => With((ref WireWriter w) => w.String(value, prefix));

        public void OptionalTime(DateTimeOffset? value) => With((ref WireWriter w) => w.OptionalTime(value));

        public byte[] Finish() => buffer.WrittenSpan.ToArray();

        private void With(Writing write)
        {
            var writer = new WireWriter(buffer);
            write(ref writer);
            writer.Flush();
        }
    }

    /// <summary>Lends exactly the size asked for, so the writer has to come back for more often.</summary>
    private sealed class StingyBufferWriter : IBufferWriter<byte>
    {
        private byte[] _lent = [];

        public List<byte> Bytes { get; } = [];

        public void Advance(int count) => Bytes.AddRange(_lent.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _lent = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
