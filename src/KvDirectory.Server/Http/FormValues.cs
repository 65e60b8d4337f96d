namespace KvDirectory.Server.Http;

/// <summary>
/// Request parameters as Go's <c>r.Form</c> holds them: every name keeps all its values in arrival order,
/// body values before query values, so "the first value wins" gives the body precedence as etcd does.
/// </summary>
public sealed class FormValues
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static FormValues Empty { get; } = new();

    public void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            list = [];
            _values[name] = list;
        }

        list.Add(value);
    }

    /// <summary>True when the parameter was given at all, even empty (<c>?prevValue=</c>).</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The first value, or null when the parameter is absent.</summary>
    public string? First(string name) => _values.TryGetValue(name, out var list) ? list[0] : null;

    /// <summary>Go's <c>FormValue</c>: the first value, or "" when absent.</summary>
    public string FirstOrEmpty(string name) => First(name) ?? string.Empty;

    public IReadOnlyCollection<string> Names => _values.Keys;
}
