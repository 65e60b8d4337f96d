namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// Seeded generator of histories that are linearizable by construction: each client issues sequential operations
/// with random gaps and latencies, each operation takes effect at a random instant inside its interval, and a real
/// sequential register applied in that order produces the outputs. Some responses are lost (unknown outcomes);
/// such an operation took effect or not at random.
/// </summary>
internal sealed class RandomHistory(int seed)
{
    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    public IReadOnlyList<Operation> Generate(int operations, int clients, int keys, int values, double lostResponses = 0.05)
    {
        var planned = new List<(int Client, long Call, long Return, long Point, OperationInput Input, bool Lost)>();
        var clock = new long[clients];
        for (var i = 0; i < operations; i++)
        {
            var client = _random.Next(clients);
            var call = clock[client] + _random.Next(0, 20);
            var duration = _random.Next(2, 60);
            var ret = call + duration;
            var point = call + 1 + _random.Next(duration - 1);
            clock[client] = ret + 1;
            var lost = _random.NextDouble() < lostResponses;
            planned.Add((client, call, ret, point, NextInput(keys, values), lost));
        }

        var register = new Dictionary<string, string?>(StringComparer.Ordinal);
        var history = new List<Operation>(operations);
        foreach (var p in planned.OrderBy(p => p.Point))
        {
            if (p.Lost)
            {
                // The request may have reached the leader or not; either way the client never hears back.
                if (_random.Next(2) == 0)
                {
                    Apply(register, p.Input);
                }

                history.Add(Operation.Abandoned(p.Client, p.Call, p.Input));
                continue;
            }

            history.Add(Operation.Completed(p.Client, p.Call, p.Return, p.Input, Apply(register, p.Input)));
        }

        return history.OrderBy(o => o.Call).ToList();
    }

    /// <summary>
    /// Replaces one known output with a different answer the operation's kind could give. The result may still
    /// happen to be linearizable (a read of a value that was also current at another instant): callers decide by oracle.
    /// </summary>
    public IReadOnlyList<Operation> MutateOneOutput(IReadOnlyList<Operation> history, int values)
    {
        var candidates = Enumerable.Range(0, history.Count).Where(i => !history[i].IsUnknown).ToList();
        if (candidates.Count == 0)
        {
            return history;
        }

        var index = candidates[_random.Next(candidates.Count)];
        var victim = history[index];
        var alternatives = PossibleOutputs(victim.Input, values).Where(o => o != victim.Output).ToList();
        var mutated = history.ToList();
        mutated[index] = victim with { Output = alternatives[_random.Next(alternatives.Count)] };
        return mutated;
    }

    private static IEnumerable<OperationOutput> PossibleOutputs(OperationInput input, int values) => input.Kind switch
    {
        OperationKind.Get => Enumerable.Range(0, values).Select(v => OperationOutput.Read(Value(v))).Append(OperationOutput.NotFound()),
        OperationKind.Set => [OperationOutput.Ok(), OperationOutput.NotFound()],
        OperationKind.Create => [OperationOutput.Ok(), OperationOutput.KeyExists()],
        _ => [OperationOutput.Ok(), OperationOutput.NotFound(), OperationOutput.CompareFailed()],
    };

    private static OperationOutput Apply(Dictionary<string, string?> register, OperationInput input)
    {
        register.TryGetValue(input.Key, out var current);
        var (output, next) = KeyValueModel.Apply(current, input);
        register[input.Key] = next;
        return output;
    }

    private OperationInput NextInput(int keys, int values)
    {
        var key = $"k{_random.Next(keys)}";
        var roll = _random.Next(100);
        return roll switch
        {
            < 40 => OperationInput.Get(key),
            < 60 => OperationInput.Set(key, RandomValue(values)),
            < 75 => OperationInput.CompareAndSwap(key, RandomValue(values), RandomValue(values)),
            < 85 => OperationInput.Create(key, RandomValue(values)),
            < 95 => OperationInput.Delete(key),
            _ => OperationInput.CompareAndDelete(key, RandomValue(values)),
        };
    }

    private string RandomValue(int values) => Value(_random.Next(values));

    private static string Value(int v) => $"v{v}";
}
