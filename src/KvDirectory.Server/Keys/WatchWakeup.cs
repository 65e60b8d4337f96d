using System.Threading.Tasks.Sources;

namespace KvDirectory.Server.Keys;

/// <summary>
/// What one watch answer awaits between its watcher's events: <see cref="Signal"/> (the store delivered or completed,
/// or the client left) wakes it through the <see cref="WatchDispatcher"/>, which runs its continuation. A signal while
/// nobody waits is kept for the next <see cref="WaitAsync"/>, so none is lost between a failed read and the wait.
/// </summary>
internal sealed class WatchWakeup(WatchDispatcher dispatcher) : IValueTaskSource
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Signaled = 2;

    // Continuations run where SetResult is called: on the dispatcher's slice, not as a thread-pool item of their own.
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };
    private int _state;

    public void Signal()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signaled:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    dispatcher.Post(this);
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle:
                    return;
            }
        }
    }

    /// <summary>Completes at the next signal, or at once if one came since the last wait.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
        {
            return new ValueTask(this, _core.Version);
        }

        // Signaled between the two exchanges.
        Volatile.Write(ref _state, Idle);
        return ValueTask.CompletedTask;
    }

    internal void Resume() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
