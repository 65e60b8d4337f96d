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
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = Instance, MaxDepth = JsonDepth.Max };

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
        if (!WillEncode(unicodeScalar) && unicodeScalar != 0xFFFD)
        {
            // Only asked for characters it said it would encode (and for U+FFFD standing in for invalid input).
            return TryWriteRaw(unicodeScalar, destination, out numberOfCharactersWritten);
        }

        numberOfCharactersWritten = WriteEscape(unicodeScalar, destination);
        return numberOfCharactersWritten > 0;
    }

    /// <summary>The UTF-16 path (every .NET string value): runs that need no escaping are copied whole, no per-character virtual call.</summary>
    public override OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten, bool isFinalBlock = true)
    {
        var read = 0;
        var written = 0;
        while (read < source.Length)
        {
            var run = FindFirst(source[read..]);
            var plain = run < 0 ? source.Length - read : run;
            if (!source.Slice(read, plain).TryCopyTo(destination[written..]))
            {
                return Stop(OperationStatus.DestinationTooSmall, read, written, out charsConsumed, out charsWritten);
            }

            read += plain;
            written += plain;
            if (run < 0)
            {
                break;
            }

            var c = source[read];
            if (char.IsHighSurrogate(c) && read + 1 == source.Length && !isFinalBlock)
            {
                return Stop(OperationStatus.NeedMoreData, read, written, out charsConsumed, out charsWritten);
            }

            // FindFirst stops only at a character to escape or a lone surrogate (written as Go writes invalid UTF-8).
            var escaped = WriteEscape(char.IsSurrogate(c) ? 0xFFFD : c, destination[written..]);
            if (escaped == 0)
            {
                return Stop(OperationStatus.DestinationTooSmall, read, written, out charsConsumed, out charsWritten);
            }

            read++;
            written += escaped;
        }

        return Stop(OperationStatus.Done, read, written, out charsConsumed, out charsWritten);
    }

    /// <summary>The UTF-8 path: like Go, each byte that is not part of valid UTF-8 becomes one <c>\ufffd</c>.</summary>
    public override OperationStatus EncodeUtf8(ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock = true)
    {
        Span<char> escape = stackalloc char[6];
        var read = 0;
        var written = 0;
        var plain = 0;
        while (read + plain < utf8Source.Length)
        {
            var found = utf8Source[(read + plain)..].IndexOfAny(Utf8Candidates);
            if (found < 0)
            {
                plain = utf8Source.Length - read;
                break;
            }

            plain += found;
            var at = read + plain;
            var b = utf8Source[at];
            var scalar = (int)b;
            var length = 1;
            if (b >= 0x80)
            {
                var status = Rune.DecodeFromUtf8(utf8Source[at..], out var rune, out var consumed);
                if (status == OperationStatus.Done && rune.Value is not (0x2028 or 0x2029))
                {
                    plain += consumed;
                    continue;
                }

                if (status == OperationStatus.NeedMoreData && !isFinalBlock)
                {
                    break;
                }

                // Go's utf8.DecodeRuneInString: an invalid byte is one RuneError of size 1, whatever follows it.
                scalar = status == OperationStatus.Done ? rune.Value : 0xFFFD;
                length = status == OperationStatus.Done ? consumed : 1;
            }

            if (!utf8Source.Slice(read, plain).TryCopyTo(utf8Destination[written..]))
            {
                return Stop(OperationStatus.DestinationTooSmall, read, written, out bytesConsumed, out bytesWritten);
            }

            written += plain;
            read += plain;
            plain = 0;
            var count = WriteEscape(scalar, escape);
            if (utf8Destination.Length - written < count)
            {
                return Stop(OperationStatus.DestinationTooSmall, read, written, out bytesConsumed, out bytesWritten);
            }

            for (var i = 0; i < count; i++)
            {
                utf8Destination[written + i] = (byte)escape[i];
            }

            written += count;
            read += length;
        }

        if (!utf8Source.Slice(read, plain).TryCopyTo(utf8Destination[written..]))
        {
            return Stop(OperationStatus.DestinationTooSmall, read, written, out bytesConsumed, out bytesWritten);
        }

        read += plain;
        written += plain;
        return Stop(read == utf8Source.Length ? OperationStatus.Done : OperationStatus.NeedMoreData, read, written, out bytesConsumed, out bytesWritten);
    }

    private static OperationStatus Stop(OperationStatus status, int read, int written, out int consumed, out int writtenOut)
    {
        consumed = read;
        writtenOut = written;
        return status;
    }

    /// <summary>Writes Go's escape of one scalar that needs one; 0 when it does not fit.</summary>
    private static int WriteEscape(int scalar, Span<char> destination)
    {
        char shortForm = scalar switch
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
                return 0;
            }

            destination[0] = '\\';
            destination[1] = shortForm;
            return 2;
        }

        return TryWriteUnicodeEscape(scalar, destination, out var written) ? written : 0;
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
