using System.Diagnostics;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// Collects the call and return events of concurrent clients. Thread-safe: any number of client tasks
/// call <see cref="Call"/> and complete the returned <see cref="PendingOperation"/>.
/// A pending operation never completed (the response was lost) becomes an unknown outcome in <see cref="ToHistory"/>.
/// </summary>
public sealed class HistoryRecorder
{
    private readonly Func<long> _clock;
    private readonly Lock _gate = new();
    private readonly List<PendingOperation> _operations = [];

    /// <param name="clock">Monotonic tick source; defaults to <see cref="Stopwatch.GetTimestamp"/>. Tests pass a logical counter.</param>
    public HistoryRecorder(Func<long>? clock = null) => _clock = clock ?? Stopwatch.GetTimestamp;

    /// <summary>Records the invocation. Read the clock before sending the request, so the interval covers the request.</summary>
    public PendingOperation Call(int clientId, OperationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pending = new PendingOperation(this, clientId, input, _clock());
        lock (_gate)
        {
            _operations.Add(pending);
        }

        return pending;
    }

    /// <summary>A snapshot of everything recorded so far; operations still pending are unknown outcomes.</summary>
    public IReadOnlyList<Operation> ToHistory()
    {
        lock (_gate)
        {
            return _operations.Select(p => p.ToOperation()).ToList();
        }
    }

    internal long Now() => _clock();

    internal Lock Gate => _gate;
}

/// <summary>An invoked operation waiting for its response. Complete it at most once.</summary>
public sealed class PendingOperation
{
    private readonly HistoryRecorder _recorder;
    private long _return = Operation.NeverReturned;
    private OperationOutput _output = OperationOutput.Unknown();

    internal PendingOperation(HistoryRecorder recorder, int clientId, OperationInput input, long call)
    {
        _recorder = recorder;
        ClientId = clientId;
        Input = input;
        CallTime = call;
    }

    public int ClientId { get; }

    public OperationInput Input { get; }

    public long CallTime { get; }

    /// <summary>Records the response. Read the clock after the response arrived, before anything else happens.</summary>
    public void Return(OperationOutput output)
    {
        var now = _recorder.Now();
        lock (_recorder.Gate)
        {
            if (_return != Operation.NeverReturned || _output.Kind != ResultKind.Unknown)
            {
                throw new InvalidOperationException($"operation {Input} of client {ClientId} already returned");
            }

            if (output.Kind == ResultKind.Unknown)
            {
                // Keep the +∞ return: an unknown outcome must stay concurrent with everything after its call.
                return;
            }

            _return = now;
            _output = output;
        }
    }

    public void ReturnOk() => Return(OperationOutput.Ok());

    public void ReturnRead(string? value) => Return(value is null ? OperationOutput.NotFound() : OperationOutput.Read(value));

    /// <summary>The response was lost (timeout, reset): nothing is recorded, the operation stays open forever.</summary>
    public void ReturnUnknown() => Return(OperationOutput.Unknown());

    internal Operation ToOperation() => new(ClientId, CallTime, _return, Input, _output);
}
