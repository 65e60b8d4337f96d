using Xunit.Abstractions;

namespace KvDirectory.Store.Tests;

public sealed class StoreCommandCodecTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset SomeTime = new(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);

    public static TheoryData<StoreCommand> Commands => new()
    {
        new SetCommand("/a", false, "value", null, false),
        new SetCommand("/a/b", true, "", SomeTime, true),
        new SetCommand("/ünïcode/キー", false, "värde 🎉", SomeTime.ToOffset(TimeSpan.FromHours(2)), false),
        new CreateCommand("/queue", false, "job", true, SomeTime),
        new CreateCommand("/d", true, "", false, null),
        new UpdateCommand("/a", "new", SomeTime, false),
        new UpdateCommand("/a", "", null, true),
        new CompareAndSwapCommand("/a", "old", 0, "new", null, false),
        new CompareAndSwapCommand("/a", "", long.MaxValue, "new", SomeTime, true),
        new CompareAndSwapCommand("/a", "x", -5, "y", DateTimeOffset.MaxValue, false),
        new DeleteCommand("/a", false, false),
        new DeleteCommand("/d", true, true),
        new CompareAndDeleteCommand("/a", "old", 42),
        new CompareAndDeleteCommand("/a", "", 0),
        new ExpireKeysCommand(SomeTime),
        new ExpireKeysCommand(DateTimeOffset.MinValue),
        new SetCommand("/big", false, new string('x', 100_000), null, false),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_survives_an_encode_decode_round_trip(StoreCommand command)
    {
        var bytes = StoreCommandCodec.Encode(command);

        StoreCommandCodec.Decode(bytes).Should().Be(command);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_that_says_it_decodes_to_itself_does(StoreCommand command)
    {
        if (StoreCommandCodec.DecodesToItself(command))
        {
            StoreCommandCodec.Decode(StoreCommandCodec.Encode(command)).Should().Be(command);
        }
    }

    [Fact]
    public void Plain_text_with_utc_times_decodes_to_itself_so_the_proposer_may_skip_decoding()
    {
        StoreCommandCodec.DecodesToItself(new SetCommand("/a/b", false, "value", SomeTime, false)).Should().BeTrue();
        StoreCommandCodec.DecodesToItself(new CompareAndSwapCommand("/a", "old", 3, "new", null, false)).Should().BeTrue();
        StoreCommandCodec.DecodesToItself(new ExpireKeysCommand(SomeTime)).Should().BeTrue();
    }

    [Fact]
    public void A_lone_surrogate_is_written_as_a_replacement_character_so_that_command_does_not_decode_to_itself()
    {
        var command = new SetCommand("/a", false, "x\uD800y", null, false);

        StoreCommandCodec.DecodesToItself(command).Should().BeFalse();
        StoreCommandCodec.Decode(StoreCommandCodec.Encode(command)).Should().Be(command with { Value = "x\uFFFDy" });
        StoreCommandCodec.DecodesToItself(new DeleteCommand("/\uDC00", false, false)).Should().BeFalse();
        StoreCommandCodec.DecodesToItself(new SetCommand("/a", false, "v", SomeTime.ToOffset(TimeSpan.FromHours(1)), false)).Should().BeFalse();
    }

    [Fact]
    public void The_first_byte_is_the_format_version()
    {
        StoreCommandCodec.Encode(new DeleteCommand("/a", false, false))[0].Should().Be(1);
    }

    [Fact]
    public void Every_truncation_of_a_valid_command_is_a_FormatException()
    {
        var bytes = StoreCommandCodec.Encode(new CompareAndSwapCommand("/a/b", "old", 77, "new", SomeTime, true));
        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = bytes[..length];
            FluentActions.Invoking(() => StoreCommandCodec.Decode(truncated)).Should().Throw<FormatException>($"length {length}");
        }
    }

    [Theory]
    [InlineData(new byte[] { 2, 1 })]
    [InlineData(new byte[] { 1, 0 })]
    [InlineData(new byte[] { 1, 99 })]
    [InlineData(new byte[] { 1, 5, 2, (byte)'/', (byte)'a', 2, 0 })]
    [InlineData(new byte[] { 1, 5, 2, (byte)'/', (byte)'a', 0, 0, 0 })]
    [InlineData(new byte[] { 1, 5, 2, 0xC3, 0x28, 0, 0 })]
    [InlineData(new byte[] { 1, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 1, 7, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 1, 7, 0 })]
    public void Malformed_commands_are_FormatExceptions(byte[] bytes)
    {
        FluentActions.Invoking(() => StoreCommandCodec.Decode(bytes)).Should().Throw<FormatException>();
    }

    [Fact]
    public void Random_garbage_is_only_ever_a_FormatException_or_a_valid_command()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var valid = ((IEnumerable<object[]>)Commands).Select(row => StoreCommandCodec.Encode((StoreCommand)row[0])).ToArray();

        for (var round = 0; round < 20_000; round++)
        {
            byte[] bytes;
            if (round % 2 == 0)
            {
                bytes = new byte[random.Next(0, 64)];
                random.NextBytes(bytes);
                if (bytes.Length > 1 && round % 4 == 0)
                {
                    bytes[0] = 1;
                    bytes[1] = (byte)random.Next(1, 8);
                }
            }
            else
            {
                bytes = (byte[])valid[random.Next(valid.Length)].Clone();
                bytes = bytes[..Math.Min(bytes.Length, 200)];
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                StoreCommandCodec.Decode(bytes);
            }
            catch (FormatException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, round {round}, bytes {Convert.ToHexString(bytes)}: {ex.GetType().Name} {ex.Message}");
            }
        }
    }
}
