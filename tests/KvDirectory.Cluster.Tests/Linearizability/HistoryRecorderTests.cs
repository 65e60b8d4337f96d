namespace KvDirectory.Cluster.Tests.Linearizability;

public sealed class HistoryRecorderTests
{
    [Fact]
    public void A_returned_operation_keeps_its_call_and_return_times_and_output()
    {
        var ticks = 0L;
        var recorder = new HistoryRecorder(() => ++ticks);

        var pending = recorder.Call(3, OperationInput.Get("k"));
        pending.ReturnRead("v");

        recorder.ToHistory().Should().Equal(new Operation(3, 1, 2, OperationInput.Get("k"), OperationOutput.Read("v")));
    }

    [Fact]
    public void An_operation_that_never_returned_is_an_unknown_outcome_open_forever()
    {
        var recorder = new HistoryRecorder();

        recorder.Call(1, OperationInput.Set("k", "v"));
        recorder.Call(2, OperationInput.Delete("k")).ReturnUnknown();

        recorder.ToHistory().Should().OnlyContain(o => o.IsUnknown && o.Return == Operation.NeverReturned);
    }

    [Fact]
    public void A_read_of_nothing_is_recorded_as_not_found()
    {
        var recorder = new HistoryRecorder();

        recorder.Call(1, OperationInput.Get("k")).ReturnRead(null);

        recorder.ToHistory().Single().Output.Should().Be(OperationOutput.NotFound());
    }

    [Fact]
    public void Returning_twice_is_a_bug_in_the_test_and_throws()
    {
        var pending = new HistoryRecorder().Call(1, OperationInput.Set("k", "v"));
        pending.ReturnOk();

        var again = () => pending.ReturnOk();

        again.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task Concurrent_clients_of_a_locked_in_memory_register_record_a_linearizable_history()
    {
        var recorder = new HistoryRecorder();
        var register = new Dictionary<string, string?>();
        var gate = new Lock();

        // A correct store: every operation takes effect atomically somewhere between its call and return.
        OperationOutput Serve(OperationInput input)
        {
            lock (gate)
            {
                register.TryGetValue(input.Key, out var current);
                var (result, next) = KeyValueModel.Apply(current, input);
                register[input.Key] = next;
                return result;
            }
        }

        var clients = Enumerable.Range(0, 8).Select(client => Task.Run(() =>
        {
            var random = new Random(client);
            for (var i = 0; i < 300; i++)
            {
                var key = $"k{random.Next(3)}";
                var value = $"v{random.Next(4)}";
                var input = random.Next(4) switch
                {
                    0 => OperationInput.Get(key),
                    1 => OperationInput.Set(key, value),
                    2 => OperationInput.CompareAndSwap(key, $"v{random.Next(4)}", value),
                    _ => OperationInput.Create(key, value),
                };
                var pending = recorder.Call(client, input);
                pending.Return(Serve(input));
            }
        })).ToArray();
        await Task.WhenAll(clients);

        var history = recorder.ToHistory();
        var result = LinearizabilityChecker.Check(history);

        history.Should().HaveCount(8 * 300);
        result.Verdict.Should().Be(Verdict.Linearizable, result.Describe());
    }
}
