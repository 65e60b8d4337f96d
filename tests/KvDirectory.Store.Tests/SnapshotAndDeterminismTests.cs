using KvDirectory.Protocol;
using Xunit.Abstractions;
using static KvDirectory.Store.Tests.StoreTestKit;

namespace KvDirectory.Store.Tests;

public sealed class SnapshotAndDeterminismTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = ManualTimeProvider.DefaultStart;

    [Fact]
    public void A_restored_snapshot_has_the_same_tree_index_and_digest()
    {
        var clock = new ManualTimeProvider();
        var source = NewStore(clock);
        source.Set("/a", false, "1", null, false);
        source.Set("/d/x", false, "2", Start.AddSeconds(30), false);
        source.Set("/d/_hidden", false, "3", null, false);
        source.Set("/empty", true, "", Start.AddSeconds(60), false);
        source.Create("/q", false, "job", true, null);
        source.Update("/a", "1b", null, false);

        var target = NewStore(clock);
        target.RestoreSnapshot(source.SaveSnapshot());

        target.CurrentIndex.Should().Be(source.CurrentIndex);
        target.ComputeDigest().Should().Be(source.ComputeDigest());
        target.Get("/", true, true).Should().BeEquivalentTo(source.Get("/", true, true));
        target.Get("/d/_hidden", false, false).Node!.Value.Should().Be("3");
    }

    [Fact]
    public void Timers_survive_a_snapshot_and_fire_after_restore()
    {
        var clock = new ManualTimeProvider();
        var source = NewStore(clock);
        source.Set("/short", false, "1", Start.AddSeconds(1), false);
        source.Set("/long", false, "1", Start.AddSeconds(100), false);
        var target = NewStore(clock);
        target.RestoreSnapshot(source.SaveSnapshot());

        target.DeleteExpiredKeys(Start.AddSeconds(1));

        target.CurrentIndex.Should().Be(3);
        target.Get("/", false, false).Node!.Nodes!.Select(n => n.Key).Should().Equal("/long");
    }

    [Fact]
    public async Task Restoring_completes_live_watchers_and_forgets_history()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);
        var snapshot = store.SaveSnapshot();
        store.Set("/a", false, "2", null, false);
        var watcher = store.Watch("/a", true, true, 0);

        store.RestoreSnapshot(snapshot);

        await watcher.Events.Completion;
        store.WatcherCount.Should().Be(0);
        store.CurrentIndex.Should().Be(1);
        ShouldFail(() => store.Watch("/a", false, false, 1)).ErrorCode.Should().Be(EtcdErrorCode.EventIndexCleared);
        using var fromNow = store.Watch("/a", false, false, 2);
        store.WatcherCount.Should().Be(1);
    }

    [Fact]
    public void The_digest_depends_on_content_not_on_insertion_order()
    {
        var first = NewStore();
        first.Set("/d/a", false, "1", null, false);
        first.Set("/d/b", false, "2", null, false);
        var second = NewStore();
        second.Set("/d/b", false, "2", null, false);
        second.Set("/d/a", false, "1", null, false);
        var firstDigest = first.ComputeDigest();

        firstDigest.Should().MatchRegex("^[0-9a-f]{64}$");
        second.ComputeDigest().Should().NotBe(firstDigest, "the indexes differ");
        first.Set("/d/a", false, "changed", null, false);
        first.ComputeDigest().Should().NotBe(firstDigest);
    }

    [Fact]
    public void Garbage_snapshots_are_FormatExceptions_and_leave_the_store_untouched()
    {
        var store = NewStore();
        store.Set("/a", false, "1", null, false);
        var snapshot = store.SaveSnapshot();
        var digest = store.ComputeDigest();
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);

        for (var length = 0; length < snapshot.Length; length++)
        {
            var truncated = snapshot[..length];
            FluentActions.Invoking(() => store.RestoreSnapshot(truncated)).Should().Throw<FormatException>($"length {length}");
        }

        for (var round = 0; round < 2_000; round++)
        {
            var bytes = (byte[])snapshot.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                new V2Store(new StoreOptions(), new ManualTimeProvider()).RestoreSnapshot(bytes);
            }
            catch (FormatException)
            {
            }
        }

        store.ComputeDigest().Should().Be(digest);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)'/', (byte)'b' })]
    [InlineData(new byte[] { (byte)'.' })]
    [InlineData(new byte[] { (byte)'.', (byte)'.' })]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    public void A_snapshot_whose_key_has_an_impossible_name_is_refused(byte[] name)
    {
        var store = NewStore();
        store.RestoreSnapshot(SnapshotOfOneKey("ok"u8));
        store.Get("/ok", false, false).Node!.Value.Should().Be("v");

        FluentActions.Invoking(() => store.RestoreSnapshot(SnapshotOfOneKey(name))).Should().Throw<FormatException>();
        store.Get("/ok", false, false).Node!.Value.Should().Be("v", "a refused snapshot leaves the store as it was");
    }

    [Fact]
    public void Long_and_non_ascii_names_come_back_from_a_snapshot()
    {
        var store = NewStore();
        var longName = new string('ж', 300);
        store.Set("/dir/ключ", false, "1", null, false);
        store.Set("/dir/" + longName, false, "2", null, false);
        var restored = NewStore();

        restored.RestoreSnapshot(store.SaveSnapshot());

        restored.ComputeDigest().Should().Be(store.ComputeDigest());
        restored.Get("/dir/" + longName, false, false).Node!.Value.Should().Be("2");
        restored.Get("/dir/ключ", false, false).Node!.Value.Should().Be("1");
    }

    [Fact]
    public void The_same_commands_applied_to_two_stores_give_the_same_digest_and_events()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var commands = RandomCommands(new Random(seed), 3_000);
        var first = NewStore(new ManualTimeProvider());
        var second = NewStore(new ManualTimeProvider(Start.AddHours(5)));

        var firstOutcomes = commands.Select(c => Outcome(first, c)).ToList();
        var secondOutcomes = commands.Select(c => Outcome(second, StoreCommandCodec.Decode(StoreCommandCodec.Encode(c)))).ToList();

        second.ComputeDigest().Should().Be(first.ComputeDigest(), $"seed {seed}");
        secondOutcomes.Should().Equal(firstOutcomes);
        first.CurrentIndex.Should().BeGreaterThan(100);
    }

    private static string Outcome(V2Store store, StoreCommand command)
    {
        try
        {
            var e = store.Apply(command);
            return e is null ? "sweep" : $"{e.Action} {e.Node!.Key} {e.Node.ModifiedIndex} {e.Node.CreatedIndex}";
        }
        catch (EtcdException ex)
        {
            return $"{ex.ErrorCode} {ex.Cause} {ex.Index}";
        }
    }

    private static List<StoreCommand> RandomCommands(Random random, int count)
    {
        string[] paths = ["/a", "/b", "/d/x", "/d/y", "/d/e/z", "/_h", "/d", "/d/e"];
        string Path() => paths[random.Next(paths.Length)];
        string Value() => random.Next(4).ToString();
        DateTimeOffset? Expire() => random.Next(3) == 0 ? Start.AddSeconds(random.Next(1, 100)) : null;
        var commands = new List<StoreCommand>();
        var sweepAt = Start;
        for (var i = 0; i < count; i++)
        {
            commands.Add(random.Next(9) switch
            {
                0 => new SetCommand(Path(), random.Next(5) == 0, Value(), Expire(), random.Next(8) == 0),
                1 => new CreateCommand(Path(), random.Next(5) == 0, Value(), random.Next(3) == 0, Expire()),
                2 => new UpdateCommand(Path(), Value(), Expire(), random.Next(8) == 0),
                3 => new CompareAndSwapCommand(Path(), Value(), random.Next(3) == 0 ? random.Next(i + 1) : 0, Value(), Expire(), false),
                4 => new DeleteCommand(Path(), random.Next(2) == 0, random.Next(2) == 0),
                5 => new CompareAndDeleteCommand(Path(), Value(), 0),
                6 => new ExpireKeysCommand(sweepAt = sweepAt.AddSeconds(1)),
                _ => new SetCommand(Path(), false, Value(), Expire(), false),
            });
        }

        return commands;
    }

    /// <summary>A version-1 snapshot: the root directory holding one key named <paramref name="name"/> (raw bytes) with value "v".</summary>
    private static byte[] SnapshotOfOneKey(ReadOnlySpan<byte> name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new KvDirectory.Wire.WireWriter(buffer);
        w.Byte(1);
        w.SignedVarint(3);
        w.String(string.Empty);
        w.Byte(1);
        w.SignedVarint(0);
        w.SignedVarint(0);
        w.SignedVarint(0);
        w.OptionalTime(null);
        w.UnsignedVarint(1);
        w.UnsignedVarint((ulong)name.Length);
        w.Bytes(name);
        w.Byte(0);
        w.SignedVarint(3);
        w.SignedVarint(3);
        w.SignedVarint(3);
        w.OptionalTime(null);
        w.String("v");
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
