using System.Text;

namespace KvDirectory.Testing.Processes;

/// <summary>
/// What a child process printed, for failure messages: every line, optionally prefixed with the member's name and
/// capped to its tail. One instance may collect several runs of the same member (restarts).
/// </summary>
/// <param name="prefix">Put in front of every line ("[a] "), or nothing.</param>
/// <param name="limit">Keep at most about this many characters (the tail); unbounded when null.</param>
public sealed class ProcessOutput(string prefix = "", int? limit = null)
{
    private readonly StringBuilder _text = new();

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
