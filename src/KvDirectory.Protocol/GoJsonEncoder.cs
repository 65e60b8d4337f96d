using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KvDirectory.Protocol;

/// <summary>
/// Escapes JSON strings exactly as Go's encoding/json does with HTML escaping on (json.Marshal, json.Encoder — what
/// etcd writes): <c>"</c> and <c>\</c> as <c>\"</c> and <c>\\</c>; <c>\n</c> <c>\r</c> <c>\t</c> as themselves; every other
/// control character below U+0020 (including <c>\b</c> and <c>\f</c>) and <c>&lt;</c> <c>&gt;</c> <c>&amp;</c>, U+2028, U+2029
/// as <c>\u00xx</c>/<c>\u2028</c> with lowercase hex; invalid UTF-8 and lone surrogates as <c>\ufffd</c>; everything else
/// (DEL, <c>+</c>, <c>'</c>, <c>/</c>, all other non-ASCII, a real U+FFFD) raw, as UTF-8.
/// </summary>
public sealed class GoJsonEncoder : JavaScriptEncoder
{
    public static GoJsonEncoder Instance { get; } = new();

    /// <summary>Writer options for a <see cref="Utf8JsonWriter"/> that escapes like Go (string values use the writer's encoder).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Instance };

    /// <summary>Every UTF-16 unit that may need escaping; surrogates are looked at more closely (a valid pair is written raw).</summary>
    private static readonly SearchValues<char> Candidates = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"
        + "\"\\<>&\u2028\u2029" + SurrogateRange());

    /// <summary>Every byte that may need escaping; bytes above 0x7F start a sequence that is checked for validity and U+2028/2029.</summary>
    private static readonly SearchValues<byte> Utf8Candidates = SearchValues.Create(Utf8CandidateBytes());

    private GoJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' or '<' or '>' or '&' or 0x2028 or 0x2029;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirst(new ReadOnlySpan<char>(text, textLength));

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var offset = 0;
        while (true)
        {
            var found = utf8Text[offset..].IndexOfAny(Utf8Candidates);
            if (found < 0)
            {
                return -1;
            }

            var index = offset + found;
            if (utf8Text[index] < 0x80)
            {
                return index;
            }

            if (Rune.DecodeFromUtf8(utf8Text[index..], out var rune, out var consumed) != OperationStatus.Done || rune.Value is 0x2028 or 0x2029)
            {
                return index;
            }

            offset = index + consumed;
        }
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        char shortForm = unicodeScalar switch
        {
            '"' => '"',
            '\\' => '\\',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            if (destination.Length < 2)
            {
                numberOfCharactersWritten = 0;
                return false;
            }

            destination[0] = '\\';
            destination[1] = shortForm;
            numberOfCharactersWritten = 2;
            return true;
        }

        if (!WillEncode(unicodeScalar))
        {
            if (unicodeScalar == 0xFFFD)
            {
                // Only reached for input that was not valid UTF-8/UTF-16: a real U+FFFD is written raw (WillEncode is false).
                return TryWriteUnicodeEscape(0xFFFD, destination, out numberOfCharactersWritten);
            }

            return TryWriteRaw(unicodeScalar, destination, out numberOfCharactersWritten);
        }

        return TryWriteUnicodeEscape(unicodeScalar, destination, out numberOfCharactersWritten);
    }

    private static int FindFirst(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAny(Candidates);
            if (found < 0)
            {
                return -1;
            }

            var index = offset + found;
            var c = text[index];
            if (!char.IsHighSurrogate(c) || index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]))
            {
                return index;
            }

            offset = index + 2;
        }
    }

    private static bool TryWriteUnicodeEscape(int scalar, Span<char> destination, out int written)
    {
        if (destination.Length < 6)
        {
            written = 0;
            return false;
        }

        const string hex = "0123456789abcdef";
        destination[0] = '\\';
        destination[1] = 'u';
        destination[2] = hex[(scalar >> 12) & 0xF];
        destination[3] = hex[(scalar >> 8) & 0xF];
        destination[4] = hex[(scalar >> 4) & 0xF];
        destination[5] = hex[scalar & 0xF];
        written = 6;
        return true;
    }

    private static bool TryWriteRaw(int scalar, Span<char> destination, out int written)
    {
        if (!Rune.TryCreate(scalar, out var rune) || !rune.TryEncodeToUtf16(destination, out written))
        {
            written = 0;
            return false;
        }

        return true;
    }

    private static string SurrogateRange()
    {
        var chars = new char[0xE000 - 0xD800];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)(0xD800 + i);
        }

        return new string(chars);
    }

    private static byte[] Utf8CandidateBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0; b < 0x100; b++)
        {
            if (b < 0x20 || b >= 0x80 || b is '"' or '\\' or '<' or '>' or '&')
            {
                bytes.Add((byte)b);
            }
        }

        return bytes.ToArray();
    }
}
