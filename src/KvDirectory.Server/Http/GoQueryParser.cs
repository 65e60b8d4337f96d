using System.Text;

namespace KvDirectory.Server.Http;

/// <summary>
/// Parses <c>application/x-www-form-urlencoded</c> text with the rules of Go's <c>url.ParseQuery</c>,
/// because etcd's answers (error 210 and its cause) depend on exactly those rules:
/// a <c>;</c> separator and a bad <c>%</c> escape are errors, parsing goes on after an error, the first error is reported.
/// </summary>
public static class GoQueryParser
{
    /// <summary>Adds every pair of <paramref name="text"/> to <paramref name="into"/>; returns the first error message or null.</summary>
    public static string? ParseInto(string text, FormValues into)
    {
        string? firstError = null;
        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (part.Contains(';', StringComparison.Ordinal))
            {
                // Go assigns this error unconditionally, so a later semicolon outranks an earlier bad escape.
                firstError = "invalid semicolon separator in query";
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? part : part[..equals];
            var rawValue = equals < 0 ? string.Empty : part[(equals + 1)..];
            if (!TryUnescape(rawName, plusIsSpace: true, out var name, out var error) ||
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
    /// </summary>
    public static bool TryUnescape(string text, bool plusIsSpace, out string result, out string? error)
    {
        if (text.IndexOf('%', StringComparison.Ordinal) < 0 && !(plusIsSpace && text.Contains('+', StringComparison.Ordinal)))
        {
            result = text;
            error = null;
            return true;
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    var bad = text.Substring(i, Math.Min(3, text.Length - i));
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
                var written = Encoding.UTF8.GetBytes(text.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), buffer);
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

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
