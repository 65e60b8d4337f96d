using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// The JSON comparison is by value, so it cannot see how a string was escaped; this lists every string token of a raw
/// body (names and values) that is not written the way Go's encoding/json writes its value. etcd's list is empty (the
/// etcd-vs-etcd run proves it) and the candidate's must equal it: <c>a\u0022b</c> where Go writes <c>a\"b</c> is a difference.
/// Written independently of the server's encoder, per character, as Go's <c>encodeState.string</c> reads.
/// </summary>
public static class GoEscaping
{
    public static IReadOnlyList<string> NonGoStrings(string body)
    {
        var found = new List<string>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                var raw = Encoding.UTF8.GetString(reader.ValueSpan); // one contiguous buffer: never a ValueSequence
                var go = Escape(reader.GetString() ?? "");
                if (raw != go)
                {
                    found.Add($"\"{raw}\" (Go writes \"{go}\")");
                }
            }
        }
        catch (JsonException)
        {
            // not JSON after all (or a stream cut short): the body comparison reports it
        }

        return found;
    }

    /// <summary>Go's escaping with HTML escaping on (json.Marshal, json.NewEncoder): what etcd writes.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsSurrogate(c))
                    {
                        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        {
                            text.Append(c).Append(value[++i]);
                        }
                        else
                        {
                            text.Append("\\ufffd");
                        }
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.ToString();
    }
}
