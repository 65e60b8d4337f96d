using System.Globalization;
using KvDirectory.Cluster.Tests.Linearizability;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// Concurrent clients doing set / compare-and-swap / quorum get / delete on a handful of keys (few enough that
/// swaps conflict) against random members, every operation recorded in a <see cref="HistoryRecorder"/>.
/// Each client draws from its own seeded <see cref="Random"/>; every written value is unique ("c2.17"), so a read
/// names the one write it saw. A client that finds a member down (connection refused) leaves it alone for a while,
/// so a dead member does not flood the history with unknown outcomes; after any unknown outcome a client backs off
/// briefly, as a real client would, so an election answering errors at once does not either (every unknown write
/// stays open to the end of the history, and too many make the check exponential).
/// </summary>
public sealed class NemesisWorkload
{
    private static readonly TimeSpan AvoidDownMemberFor = TimeSpan.FromSeconds(1);

    private readonly Func<IReadOnlyList<Uri>> _members;
    private readonly HistoryRecorder _recorder;
    private readonly KeyOperationClient _client;
    private readonly int _seed;
    private int _acknowledgedWrites;
    private int _successfulSwaps;
    private int _unknown;
    private int _completed;
    private readonly Dictionary<string, int> _unknownCauses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _serverErrors = new(StringComparer.Ordinal);

    /// <param name="members">The current members' client URLs (membership may change during the run).</param>
    public NemesisWorkload(Func<IReadOnlyList<Uri>> members, HistoryRecorder recorder, KeyOperationClient client, int seed, IReadOnlyList<string> keys)
    {
        _members = members;
        _recorder = recorder;
        _client = client;
        _seed = seed;
        Keys = keys;
    }

    public IReadOnlyList<string> Keys { get; }

    public int AcknowledgedWrites => Volatile.Read(ref _acknowledgedWrites);

    public int Unknown => Volatile.Read(ref _unknown);

    public int Completed => Volatile.Read(ref _completed);

    public int SuccessfulSwaps => Volatile.Read(ref _successfulSwaps);

    /// <summary>Answers that were server errors, by <see cref="NemesisTally.ErrorClass"/>.</summary>
    public IReadOnlyDictionary<string, int> ServerErrors
    {
        get
        {
            lock (_serverErrors)
            {
                return new Dictionary<string, int>(_serverErrors, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Why outcomes were unknown ("timeout", "refused", "500 errorCode 300" …), with counts.</summary>
    public string UnknownCauses
    {
        get
        {
            lock (_unknownCauses)
            {
                return string.Join(", ", _unknownCauses.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value}"));
            }
        }
    }

    /// <summary>Runs <paramref name="clients"/> clients until <paramref name="stop"/>; each finishes the request it has in flight.</summary>
    public Task RunAsync(int clients, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(id => Task.Run(() => RunClientAsync(id, stop), CancellationToken.None)));

    private async Task RunClientAsync(int clientId, CancellationToken stop)
    {
        var random = new Random(HashCode.Combine(_seed, clientId));
        var lastSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        var avoidUntil = new Dictionary<Uri, DateTime>();
        var written = 0;
        while (!stop.IsCancellationRequested)
        {
            var members = _members();
            var memberIndex = random.Next(members.Count);
            if (avoidUntil.GetValueOrDefault(members[memberIndex]) > DateTime.UtcNow && members.Count > 1)
            {
                memberIndex = (memberIndex + 1 + random.Next(members.Count - 1)) % members.Count;
            }

            var member = members[memberIndex];

            var key = Keys[random.Next(Keys.Count)];
            var value = string.Create(CultureInfo.InvariantCulture, $"c{clientId}.{written}");
            var roll = random.Next(100);
            var input = roll switch
            {
                < 35 => OperationInput.Get(key),
                < 60 => OperationInput.Set(key, value),
                < 85 => OperationInput.CompareAndSwap(key, lastSeen.GetValueOrDefault(key, "none"), value),
                _ => OperationInput.Delete(key),
            };
            if (input.Value is not null)
            {
                written++;
            }

            var pending = _recorder.Call(clientId, input);
            OperationOutput output;
            string answer;
            string? comparedAgainst = null;
            try
            {
                var answered = await _client.ExecuteAsync(member, input);
                (output, answer, comparedAgainst) = (answered.Output, answered.ToString(), answered.ComparedAgainst);
                if (NemesisTally.ErrorClass(answered) is { } error)
                {
                    lock (_serverErrors)
                    {
                        _serverErrors[error] = _serverErrors.GetValueOrDefault(error) + 1;
                    }
                }
            }
            catch (HttpRequestException error)
            {
                var refused = KeyOperationClient.IsRefused(error);
                if (refused)
                {
                    avoidUntil[member] = DateTime.UtcNow + AvoidDownMemberFor;
                }

                (output, answer) = (OperationOutput.Unknown(), refused ? "refused" : $"{error.HttpRequestError}");
            }
            catch (TaskCanceledException)
            {
                (output, answer) = (OperationOutput.Unknown(), "timeout");
            }

            pending.Return(output);
            Interlocked.Increment(ref _completed);
            if (output.Kind == ResultKind.Unknown)
            {
                Interlocked.Increment(ref _unknown);
                lock (_unknownCauses)
                {
                    _unknownCauses[$"{input.Kind} {answer}"] = _unknownCauses.GetValueOrDefault($"{input.Kind} {answer}") + 1;
                }

                await Task.Delay(random.Next(50, 250), CancellationToken.None);
                continue;
            }

            if (output.Kind == ResultKind.Ok && input.Kind != OperationKind.Get)
            {
                Interlocked.Increment(ref _acknowledgedWrites);
                if (input.Kind == OperationKind.CompareAndSwap)
                {
                    Interlocked.Increment(ref _successfulSwaps);
                }
            }

            // What this client believes the key holds, for its next swap.
            if (output.Kind == ResultKind.Ok && input.Value is not null)
            {
                lastSeen[key] = input.Value;
            }
            else if (output.Kind == ResultKind.Ok && output.Value is not null)
            {
                lastSeen[key] = output.Value;
            }
            else if (output.Kind == ResultKind.NotFound || (output.Kind == ResultKind.Ok && input.Kind == OperationKind.Delete))
            {
                lastSeen.Remove(key);
            }
            else if (comparedAgainst is not null)
            {
                // As a real client would: swap from the value the failed compare reported.
                lastSeen[key] = comparedAgainst;
            }
        }
    }
}
