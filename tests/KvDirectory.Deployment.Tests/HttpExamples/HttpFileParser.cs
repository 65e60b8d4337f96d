using System.Globalization;
using System.Text.RegularExpressions;

namespace KvDirectory.Deployment.Tests.HttpExamples;

/// <summary>
/// Reads the REST Client / Visual Studio <c>.http</c> format as far as our examples use it: <c>@var = value</c> file
/// variables, requests separated by <c>###</c> lines, <c># @name</c>, and our own <c># @expect STATUS</c> and
/// <c># @headers-only</c> annotations (both editors ignore unknown <c>@</c> comments).
/// </summary>
public static partial class HttpFileParser
{
    public static (IReadOnlyDictionary<string, string> Variables, IReadOnlyList<HttpExample> Requests) Parse(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<HttpExample>();
        var blockStart = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i == lines.Length || lines[i].StartsWith("###", StringComparison.Ordinal))
            {
                if (ParseBlock(file, lines, blockStart, i, variables) is { } request)
                {
                    requests.Add(request);
                }

                blockStart = i;
            }
        }

        return (variables, requests);
    }

    private static HttpExample? ParseBlock(string file, string[] lines, int start, int end, Dictionary<string, string> variables)
    {
        var title = start < lines.Length && lines[start].StartsWith("###", StringComparison.Ordinal) ? lines[start][3..].Trim() : string.Empty;
        string? name = null;
        int? expect = null;
        var headersOnly = false;
        var i = title.Length > 0 || (start < lines.Length && lines[start].StartsWith("###", StringComparison.Ordinal)) ? start + 1 : start;
        for (; i < end; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (VariableLine().Match(line) is { Success: true } variable)
            {
                variables[variable.Groups[1].Value] = variable.Groups[2].Value.Trim();
                continue;
            }

            if (line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal))
            {
                var comment = line.TrimStart('#', '/').Trim();
                if (comment.StartsWith("@name ", StringComparison.Ordinal))
                {
                    name = comment[6..].Trim();
                }
                else if (comment.StartsWith("@expect ", StringComparison.Ordinal))
                {
                    expect = int.Parse(comment[8..].Trim(), CultureInfo.InvariantCulture);
                }
                else if (comment == "@headers-only")
                {
                    headersOnly = true;
                }

                continue;
            }

            break;
        }

        if (i >= end)
        {
            return null;
        }

        var requestLine = RequestLine().Match(lines[i].Trim());
        if (!requestLine.Success)
        {
            throw new FormatException($"{file}:{i + 1}: expected a request line (METHOD URL), got '{lines[i]}'");
        }

        if (expect is null)
        {
            throw new FormatException($"{file}:{i + 1}: the request has no '# @expect STATUS' line");
        }

        var headers = new List<KeyValuePair<string, string>>();
        var j = i + 1;
        for (; j < end && lines[j].Trim().Length > 0; j++)
        {
            var colon = lines[j].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"{file}:{j + 1}: expected a header (Name: value), got '{lines[j]}'");
            }

            headers.Add(new(lines[j][..colon].Trim(), lines[j][(colon + 1)..].Trim()));
        }

        var body = string.Join('\n', lines[Math.Min(j + 1, end)..end]).Trim('\n');
        return new HttpExample
        {
            File = file,
            Line = i + 1,
            Title = title,
            Name = name,
            ExpectedStatus = expect.Value,
            HeadersOnly = headersOnly,
            Method = requestLine.Groups[1].Value,
            Url = requestLine.Groups[2].Value,
            Headers = headers,
            Body = body,
        };
    }

    [GeneratedRegex(@"^@([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\s+(\S+)(\s+HTTP/\d(\.\d)?)?$")]
    private static partial Regex RequestLine();
}
