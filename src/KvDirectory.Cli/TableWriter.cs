using System.Text;

namespace KvDirectory.Cli;

/// <summary>Renders a bordered table as etcdctl v3's <c>-w table</c> does: upper-case centred headers, right-aligned cells.</summary>
public static class TableWriter
{
    public static string Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var upper = headers.Select(h => h.ToUpperInvariant()).ToList();
        var widths = upper.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        var builder = new StringBuilder();
        builder.AppendLine(border);
        builder.AppendLine("|" + string.Join("|", upper.Select((h, i) => " " + Center(h, widths[i]) + " ")) + "|");
        builder.AppendLine(border);
        foreach (var row in rows)
        {
            builder.AppendLine("|" + string.Join("|", row.Select((c, i) => " " + c.PadLeft(widths[i]) + " ")) + "|");
        }

        builder.AppendLine(border);
        return builder.ToString();
    }

    private static string Center(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }
}
