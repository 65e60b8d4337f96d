namespace KvDirectory.Server.Http;

/// <summary>
/// Request parameters as Go's <c>r.Form</c> holds them: every name keeps all its values in arrival order,
/// body values before query values, so "the first value wins" gives the body precedence as etcd does.
/// </summary>
/// <remarks>
/// The pairs sit in one array searched in order: a request carries a handful of parameters, and a dictionary of lists
/// cost a write four objects more than this.
/// </remarks>
public sealed class FormValues
{
    private (string Name, string Value)[] _pairs = [];
    private int _count;

    public static FormValues Empty { get; } = new();

    public void Add(string name, string value)
    {
        if (_count == _pairs.Length)
        {
            Array.Resize(ref _pairs, Math.Max(4, _count * 2));
        }

        _pairs[_count++] = (name, value);
    }

    /// <summary>True when the parameter was given at all, even empty (<c>?prevValue=</c>).</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The first value, or null when the parameter is absent.</summary>
    public string? First(string name) => IndexOf(name) is var i and >= 0 ? _pairs[i].Value : null;

    /// <summary>Go's <c>FormValue</c>: the first value, or "" when absent.</summary>
    public string FirstOrEmpty(string name) => First(name) ?? string.Empty;

    private int IndexOf(string name)
    {
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_pairs[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
