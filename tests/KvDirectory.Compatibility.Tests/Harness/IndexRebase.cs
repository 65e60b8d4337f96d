using System.Globalization;
using System.Text.RegularExpressions;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// Rewrites etcd indexes relative to the index a server had before the scenario started, so two servers whose
/// counters started apart (etcd's cluster setup uses a few indexes) compare equal when they did the same work.
/// Only numbers inside the scenario's window move: 0 and literals far outside it are kept as written.
/// </summary>
public sealed partial class IndexRebase(long baseIndex)
{
    private const long Window = 5000;

    public long Base { get; } = baseIndex;

    /// <summary>0 is etcd's "no index" (validation errors), never a position: it stays 0 even when the base is 0.</summary>
    public string Rebase(long value) =>
        value != 0 && value >= Base && value <= Base + Window ? $"B+{value - Base}" : value.ToString(CultureInfo.InvariantCulture);

    public string Rebase(string? text)
    {
        if (text is null)
        {
            return "";
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? Rebase(value) : text;
    }

    /// <summary>Every integer inside the text (causes like "[3/1]" or "[one != two] [12 != 9]", 20-digit in-order names).</summary>
    public string RebaseNumbersIn(string text) =>
        Integer().Replace(text, m => long.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? (m.Value.Length == 20 ? "seq:" : "") + Rebase(value)
            : m.Value);

    /// <summary>Only the 20-digit in-order names inside a key: other digits in a key are part of its name.</summary>
    public string RebaseSequencesIn(string key) =>
        Sequence().Replace(key, m => "seq:" + Rebase(long.Parse(m.Value, CultureInfo.InvariantCulture)));

    /// <summary>Resolves a step's template: {i+N} is the N-th index of the scenario, {k+N} the in-order key name POST gives it.</summary>
    public string Resolve(string template, string prefix) =>
        Placeholder().Replace(template.Replace("{p}", prefix, StringComparison.Ordinal), m =>
        {
            var value = Base + long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return m.Groups[1].Value == "k" ? value.ToString("D20", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
        });

    [GeneratedRegex(@"\d+")]
    private static partial Regex Integer();

    [GeneratedRegex(@"\d{20}")]
    private static partial Regex Sequence();

    [GeneratedRegex(@"\{([ik])\+(\d+)\}")]
    private static partial Regex Placeholder();
}
