using System.Text;

namespace KvDirectory.Testing.Processes;

/// <summary>
/// What a child process printed, for failure messages: every line, optionally prefixed with the member's name and
/// capped to its tail. One instance may collect several runs of the same member (restarts). A test that must see a
/// line the process logs after an effect it observed awaits the line (<see cref="WaitForLineAsync"/>): the line
/// crosses the process's log queue and a pipe, so it can arrive after the effect.
/// </summary>
/// <param name="prefix">Put in front of every line ("[a] "), or nothing.</param>
/// <param name="limit">Keep at most about this many characters (the tail); unbounded when null.</param>
public sealed class ProcessOutput(string prefix = "", int? limit = null)
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            if (limit is { } max && _text.Length > max)
            {
                _text.Remove(0, _text.Length - (max / 2));
            }

            _text.Append(prefix).AppendLine(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>True once a line containing <paramref name="text"/> was printed (before or within the wait); false at the deadline.</summary>
    public async Task<bool> WaitForLineAsync(string text, TimeSpan timeout)
    {
        (string Text, TaskCompletionSource Seen) waiter;
        lock (_text)
        {
            if (_text.ToString().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            waiter = (text, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
        }

        try
        {
            await waiter.Seen.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_text)
            {
                _waiters.Remove(waiter);
            }

            return false;
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
