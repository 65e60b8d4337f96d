using System.Threading.Channels;
using KvDirectory.Protocol;

namespace KvDirectory.Store.Tests;

public sealed class WatcherEventsTests
{
    [Fact]
    public void Events_are_read_in_the_order_written_up_to_the_capacity()
    {
        var events = new WatcherEvents(capacity: 3);

        events.TryWrite(Event(1)).Should().BeTrue();
        events.TryWrite(Event(2)).Should().BeTrue();
        events.TryWrite(Event(3)).Should().BeTrue();
        events.TryWrite(Event(4)).Should().BeFalse("three are waiting already");
        events.Count.Should().Be(3);

        events.TryRead(out var first).Should().BeTrue();
        events.TryWrite(Event(5)).Should().BeTrue("reading one made room");
        ReadAll(events).Prepend(first).Select(e => e.EtcdIndex).Should().Equal(1, 2, 3, 5);
        events.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public void Completion_waits_until_the_writer_is_done_and_every_event_is_read()
    {
        var events = new WatcherEvents(capacity: 2);
        events.TryWrite(Event(1));
        events.TryWrite(Event(2));

        events.TryComplete().Should().BeTrue();
        events.TryComplete().Should().BeFalse("it was said already");
        events.TryWrite(Event(3)).Should().BeFalse("the writer is done");
        var completion = events.Completion;
        completion.IsCompleted.Should().BeFalse("two events are still to be read");

        events.TryRead(out _);
        completion.IsCompleted.Should().BeFalse();
        events.IsFinished.Should().BeFalse();
        events.TryRead(out _);
        completion.IsCompletedSuccessfully.Should().BeTrue();
        events.IsFinished.Should().BeTrue();
    }

    [Fact]
    public void Completion_asked_for_after_the_last_read_is_already_complete()
    {
        var events = new WatcherEvents(capacity: 1);
        events.TryWrite(Event(1));
        events.TryComplete();
        events.TryRead(out _);

        events.Completion.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task A_waiting_reader_wakes_with_true_for_an_event_and_with_false_for_the_end()
    {
        var events = new WatcherEvents(capacity: 1);
        var waiting = events.WaitToReadAsync().AsTask();
        waiting.IsCompleted.Should().BeFalse();

        events.TryWrite(Event(7));
        (await waiting).Should().BeTrue();
        (await events.ReadAsync()).EtcdIndex.Should().Be(7);

        var ending = events.WaitToReadAsync().AsTask();
        events.TryComplete();
        (await ending).Should().BeFalse();
        await events.Completion;
        var read = async () => await events.ReadAsync();
        await read.Should().ThrowAsync<ChannelClosedException>();
    }

    [Fact]
    public async Task Read_all_yields_every_event_then_ends_when_the_writer_is_done()
    {
        var events = new WatcherEvents(capacity: 10);
        var reading = Task.Run(async () =>
        {
            var read = new List<long>();
            await foreach (var e in events.ReadAllAsync())
            {
                read.Add(e.EtcdIndex);
            }

            return read;
        });

        for (var i = 1; i <= 5; i++)
        {
            events.TryWrite(Event(i));
        }

        events.TryComplete();
        (await reading).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_without_taking_the_next_event_from_another_reader()
    {
        var events = new WatcherEvents(capacity: 1);
        using var cancellation = new CancellationTokenSource();
        var cancelled = events.WaitToReadAsync(cancellation.Token).AsTask();
        var other = events.WaitToReadAsync().AsTask();

        await cancellation.CancelAsync();
        var wait = async () => await cancelled;
        await wait.Should().ThrowAsync<OperationCanceledException>();

        events.TryWrite(Event(1));
        (await other).Should().BeTrue();
        events.TryPeek(out var peeked).Should().BeTrue();
        peeked.EtcdIndex.Should().Be(1);
    }

    private static EtcdEvent Event(long index) =>
        new() { Action = EtcdActions.Set, EtcdIndex = index, Node = new EtcdNode { Key = "/k", Value = index.ToString(), ModifiedIndex = index, CreatedIndex = index } };

    private static List<EtcdEvent> ReadAll(WatcherEvents events)
    {
        var read = new List<EtcdEvent>();
        while (events.TryRead(out var e))
        {
            read.Add(e);
        }

        return read;
    }
}
