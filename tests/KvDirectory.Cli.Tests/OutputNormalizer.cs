using System.Text.RegularExpressions;

namespace KvDirectory.Cli.Tests;

/// <summary>Makes two runs comparable: their key prefixes, member ids and every number (indexes, times) become placeholders.</summary>
public static partial class OutputNormalizer
{
    public static string Normalize(string text, string prefix) =>
        Number().Replace(MemberId().Replace(text.Replace(prefix, "<P>", StringComparison.Ordinal), "<ID>"), "N");

    [GeneratedRegex(@"\b[0-9a-f]{12,16}\b")]
    private static partial Regex MemberId();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();
}
