using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KvDirectory.Deployment.Tests.HttpExamples;

/// <summary>
/// Sends the requests of one <c>.http</c> file in order, resolving <c>{{variable}}</c> and REST Client's request
/// variables (<c>{{name.response.body.$.node.key}}</c>, <c>{{name.response.headers.X-Etcd-Index}}</c>), and reports
/// every request whose status differs from its <c># @expect</c>.
/// </summary>
public sealed partial class HttpExampleRunner(HttpClient http, IReadOnlyDictionary<string, string> variables)
{
    private readonly Dictionary<string, (string Body, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders)> _named = new(StringComparer.Ordinal);

    /// <summary>Runs one request; returns a description of the mismatch, or null when it answered as expected.</summary>
    public async Task<string?> RunAsync(HttpExample example, CancellationToken cancellationToken)
    {
        var url = Resolve(example.Url, example);
        using var request = new HttpRequestMessage(new HttpMethod(example.Method), url);
        string? contentType = null;
        foreach (var (name, value) in example.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = Resolve(value, example);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, Resolve(value, example));
            }
        }

        if (example.Body.Length > 0)
        {
            request.Content = new StringContent(Resolve(example.Body, example), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "text/plain");
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = example.HeadersOnly ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken);
        if (example.Name is { } named)
        {
            _named[named] = (body, response.Headers, response.Content.Headers);
        }

        return (int)response.StatusCode == example.ExpectedStatus
            ? null
            : $"{example.File}:{example.Line} '{example.Title}' {example.Method} {url}: expected {example.ExpectedStatus}, got {(int)response.StatusCode}: {body}";
    }

    private string Resolve(string text, HttpExample example) => Reference().Replace(text, match =>
    {
        var reference = match.Groups[1].Value.Trim();
        if (variables.TryGetValue(reference, out var value))
        {
            return Resolve(value, example);
        }

        var parts = reference.Split('.', 4);
        if (parts.Length >= 4 && parts[1] == "response" && _named.TryGetValue(parts[0], out var response))
        {
            if (parts[2] == "body" && parts[3].StartsWith('$'))
            {
                return JsonPath(response.Body, parts[3], example);
            }

            if (parts[2] == "headers")
            {
                if (response.Headers.TryGetValues(parts[3], out var values)
                    || (response.ContentHeaders?.TryGetValues(parts[3], out values) ?? false))
                {
                    return string.Join(',', values);
                }
            }
        }

        throw new InvalidOperationException($"{example.File}:{example.Line}: cannot resolve {{{{{reference}}}}} (is the request it names above it?)");
    });

    /// <summary>The subset of JSONPath REST Client examples use: <c>$.a.b[0].c</c>.</summary>
    private static string JsonPath(string json, string path, HttpExample example)
    {
        using var document = JsonDocument.Parse(json);
        var element = document.RootElement;
        foreach (Match step in PathStep().Matches(path[1..]))
        {
            if (step.Groups[1].Success)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(step.Groups[1].Value, out element))
                {
                    throw new InvalidOperationException($"{example.File}:{example.Line}: {path} not found in {json}");
                }
            }
            else
            {
                var index = int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture);
                if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() <= index)
                {
                    throw new InvalidOperationException($"{example.File}:{example.Line}: {path} not found in {json}");
                }

                element = element[index];
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
    }

    [GeneratedRegex(@"\{\{([^}]+)\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")]
    private static partial Regex PathStep();
}
