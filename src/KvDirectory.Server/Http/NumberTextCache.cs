using System.Globalization;

namespace KvDirectory.Server.Http;

/// <summary>
/// The decimal text of the last number formatted, handed out again while the same number is asked for: between writes
/// every read answer carries the same index and term headers, which were three fresh strings per GET.
/// </summary>
public sealed class NumberTextCache
{
    private Formatted? _last;

    public string Format(long value)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Value == value)
        {
            return last.Text;
        }

        var text = value.ToString(CultureInfo.InvariantCulture);
        Volatile.Write(ref _last, new Formatted(value, text));
        return text;
    }

    /// <summary>One object, so a reader never pairs a number with another number's text.</summary>
    private sealed record Formatted(long Value, string Text);
}
