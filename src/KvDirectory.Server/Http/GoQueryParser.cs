using System.Text;

namespace KvDirectory.Server.Http;

/// <summary>
/// Parses <c>application/x-www-form-urlencoded</c> text with the rules of Go's <c>url.ParseQuery</c>,
/// because etcd's answers (error 210 and its cause) depend on exactly those rules:
/// a <c>;</c> separator and a bad <c>%</c> escape are errors, parsing goes on after an error, the first error is reported.
/// </summary>
public static class GoQueryParser
{
    /// <summary>
    /// The keys API's parameter names: a name spelled plainly is shared from here instead of copied out of every request.
    /// </summary>
    private static readonly string[] CommonNames =
    [
        "value", "ttl", "dir", "prevValue", "prevIndex", "prevExist", "recursive", "sorted", "wait", "waitIndex", "stream",
        "quorum", "refresh", "noValueOnSuccess",
    ];

    /// <summary>Adds every pair of <paramref name="text"/> to <paramref name="into"/>; returns the first error message or null.</summary>
    public static string? ParseInto(ReadOnlySpan<char> text, FormValues into)
    {
        string? firstError = null;
        while (!text.IsEmpty)
        {
            var ampersand = text.IndexOf('&');
            var part = ampersand < 0 ? text : text[..ampersand];
            text = ampersand < 0 ? [] : text[(ampersand + 1)..];
            if (part.IsEmpty)
            {
                continue;
            }

            if (part.Contains(';'))
            {
                // Go assigns this error unconditionally, so a later semicolon outranks an earlier bad escape.
                firstError = "invalid semicolon separator in query";
                continue;
            }

            var equals = part.IndexOf('=');
            var rawName = equals < 0 ? part : part[..equals];
            var rawValue = equals < 0 ? [] : part[(equals + 1)..];
            if (!TryUnescape(rawName, plusIsSpace: true, out var name, out var error, CommonNames) ||
                !TryUnescape(rawValue, plusIsSpace: true, out var value, out error))
            {
                firstError ??= error;
                continue;
            }

            into.Add(name, value);
        }

        return firstError;
    }

    /// <summary>
    /// Percent-decodes as Go does: every <c>%</c> must be followed by two hex digits (else
    /// <c>invalid URL escape "%zz"</c>); bytes are decoded as UTF-8; <c>+</c> is a space only in queries.
    /// Text with nothing to decode comes back as itself.
    /// </summary>
    public static bool TryUnescape(string text, bool plusIsSpace, out string result, out string? error)
    {
        if (!NeedsDecoding(text, plusIsSpace))
        {
            result = text;
            error = null;
            return true;
        }

        return TryDecode(text, plusIsSpace, out result, out error);
    }

    private static bool TryUnescape(ReadOnlySpan<char> text, bool plusIsSpace, out string result, out string? error, string[]? shared = null)
    {
        if (!NeedsDecoding(text, plusIsSpace))
        {
            result = text.IsEmpty ? string.Empty : SharedOrNew(text, shared);
            error = null;
            return true;
        }

        return TryDecode(text, plusIsSpace, out result, out error);
    }

    /// <summary>The decoding itself, for text that has a <c>%</c> (or a <c>+</c> in a query).</summary>
    private static bool TryDecode(ReadOnlySpan<char> text, bool plusIsSpace, out string result, out string? error)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    var bad = text.Slice(i, Math.Min(3, text.Length - i));
                    result = string.Empty;
                    error = $"invalid URL escape \"{bad}\"";
                    return false;
                }

                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else
            {
                var written = Encoding.UTF8.GetBytes(text.Slice(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), buffer);
                if (char.IsHighSurrogate(c) && i + 1 < text.Length)
                {
                    i++;
                }

                for (var b = 0; b < written; b++)
                {
                    bytes.Add(buffer[b]);
                }
            }
        }

        result = Encoding.UTF8.GetString(bytes.ToArray());
        error = null;
        return true;
    }

    private static bool NeedsDecoding(ReadOnlySpan<char> text, bool plusIsSpace) =>
        plusIsSpace ? text.IndexOfAny('%', '+') >= 0 : text.Contains('%');

    private static string SharedOrNew(ReadOnlySpan<char> text, string[]? shared)
    {
        foreach (var candidate in shared ?? [])
        {
            if (text.SequenceEqual(candidate))
            {
                return candidate;
            }
        }

        return new string(text);
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
