using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace KvDirectory.Protocol;

/// <summary>
/// Writes JSON text straight into an <see cref="IBufferWriter{T}"/>: raw UTF-8 pieces the caller knows to be JSON,
/// integers, and strings escaped as <see cref="GoJsonEncoder"/> escapes them (byte for byte what a
/// <see cref="System.Text.Json.Utf8JsonWriter"/> with <see cref="GoJsonEncoder.WriterOptions"/> writes). For answers made
/// of many small strings, a recursive GET's keys and values: Utf8JsonWriter validated and sized every call and scanned
/// each string as UTF-16 for characters to escape; here an ASCII string is narrowed and checked in one pass over bytes.
/// The caller writes the structure (no validation), then <see cref="Flush"/>es.
/// </summary>
public ref struct GoJsonWriter(IBufferWriter<byte> output)
{
    /// <summary>What is asked of the output when the current span is full (it may give more).</summary>
    private const int MinimumRequest = 4096;

    /// <summary>The ASCII that Go escapes (<see cref="GoJsonEncoder.WillEncode"/> below U+0080).</summary>
    private static readonly SearchValues<byte> AsciiToEscape = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\<>&"u8);

    private readonly IBufferWriter<byte> _output = output;
    private Span<byte> _span;
    private int _used;

    public void WriteRaw(ReadOnlySpan<byte> utf8)
    {
        Ensure(utf8.Length);
        utf8.CopyTo(_span[_used..]);
        _used += utf8.Length;
    }

    public void WriteNumber(long value)
    {
        Ensure(20);
        value.TryFormat(_span[_used..], out var written, default, CultureInfo.InvariantCulture);
        _used += written;
    }

    /// <summary>A quoted string, escaped as Go escapes it.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        // Escaped, a UTF-16 unit takes at most 6 bytes (\u00xx); unescaped, at most 3 (a surrogate pair: 4 for 2).
        Ensure(checked((value.Length * 6) + 2));
        var destination = _span[(_used + 1)..];
        if (Ascii.FromUtf16(value, destination, out var written) != OperationStatus.Done || destination[..written].ContainsAny(AsciiToEscape))
        {
            written = WriteEscaped(value, destination);
        }

        _span[_used] = (byte)'"';
        destination[written] = (byte)'"';
        _used += written + 2;
    }

    /// <summary>Hands what was written to the output.</summary>
    public void Flush()
    {
        _output.Advance(_used);
        _span = default;
        _used = 0;
    }

    /// <summary>The rare string with something to escape or non-ASCII: as Utf8JsonWriter does it, escape in UTF-16, then transcode.</summary>
    private static int WriteEscaped(ReadOnlySpan<char> value, Span<byte> destination)
    {
        var rented = ArrayPool<char>.Shared.Rent(value.Length * 6);
        try
        {
            GoJsonEncoder.Instance.Encode(value, rented, out _, out var escapedLength);
            // Lone surrogates were escaped to \ufffd: what is left transcodes whole.
            Utf8.FromUtf16(rented.AsSpan(0, escapedLength), destination, out _, out var written, replaceInvalidSequences: false);
            return written;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Ensure(int size)
    {
        if (_span.Length - _used >= size)
        {
            return;
        }

        Flush();
        _span = _output.GetSpan(Math.Max(size, MinimumRequest));
    }
}
