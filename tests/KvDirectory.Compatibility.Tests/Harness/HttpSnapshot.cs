using System.Text;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>One raw HTTP answer as a server gave it: kept whole so a mismatch can print both sides verbatim.</summary>
public sealed record HttpSnapshot(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Status).AppendLine();
        foreach (var (name, value) in Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.Append("  ").Append(name).Append(": ").AppendLine(value);
        }

        text.Append("  ").AppendLine(Body.Length == 0 ? "(empty body)" : Body.TrimEnd());
        return text.ToString();
    }
}
