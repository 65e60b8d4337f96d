namespace KvDirectory.Testing.Faults;

/// <summary>
/// An open/closed switch that pumps await instead of polling, so a heal releases waiting traffic at once.
/// </summary>
internal sealed class LinkGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _opened = NewOpened();

    public LinkGate() => _opened.SetResult();

    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _opened.Task.IsCompleted;
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_opened.Task.IsCompleted)
            {
                _opened = NewOpened();
            }
        }
    }

    public void Open()
    {
        lock (_lock)
        {
            _opened.TrySetResult();
        }
    }

    public Task WaitOpenAsync(CancellationToken cancellationToken)
    {
        Task opened;
        lock (_lock)
        {
            opened = _opened.Task;
        }

        return opened.IsCompleted ? Task.CompletedTask : opened.WaitAsync(cancellationToken);
    }

    // Continuations must not run inside Open(), which a test calls while holding no expectations about reentrancy.
    private static TaskCompletionSource NewOpened() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
