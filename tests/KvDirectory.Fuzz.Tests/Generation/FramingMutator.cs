using System.Text;

namespace KvDirectory.Fuzz.Tests.Generation;

/// <summary>Bends a well-formed request's framing: chunking, lengths, line ends, versions, request lines, sizes, early closes.</summary>
public sealed class FramingMutator(Random random)
{
    public FuzzRequest Mutate(RequestParts parts, string endpoint)
    {
        if (parts.Body.Length == 0)
        {
            parts.Body = "value=1"u8.ToArray();
        }

        var kind = random.Next(19);
        switch (kind)
        {
            case 0:
                return Bad("bad-chunk-size", Splice(WithHead(parts, "Transfer-Encoding: chunked"), "zz\r\nabc\r\n0\r\n\r\n"), endpoint);
            case 1:
                parts.Chunked = true;
                var chunked = parts.ToBytes();
                return Closed("chunk-unterminated", chunked[..^5], endpoint);
            case 2:
                return Closed("length-too-long", Splice(WithHead(parts, $"Content-Length: {parts.Body.Length + 50}"), parts.Body), endpoint);
            case 3:
                return Bad("length-too-short", Splice(WithHead(parts, $"Content-Length: {Math.Max(0, parts.Body.Length - 3)}"), parts.Body), endpoint);
            case 4:
                parts.Chunked = true;
                return Bad("length-and-chunked", Splice(WithHead(parts, "Content-Length: 3\r\nTransfer-Encoding: chunked"), "7\r\nvalue=1\r\n0\r\n\r\n"), endpoint);
            case 5:
                return Bad("duplicate-length", Splice(WithHead(parts, $"Content-Length: {parts.Body.Length}\r\nContent-Length: {parts.Body.Length + 1}"), parts.Body), endpoint);
            case 6:
                return Bad("bad-length", Splice(WithHead(parts, "Content-Length: " + Pieces.Pick(random, ["-1", "abc", "1 1", "+5", "99999999999999999999", ""])), parts.Body), endpoint);
            case 7:
                parts.LineEnd = "\n";
                return Bad("bare-lf", parts.ToBytes(), endpoint);
            case 8:
                parts.Version = "HTTP/1.0";
                parts.Headers.RemoveAll(h => h.Name == "Host");
                return Bad("http-1.0", parts.ToBytes(), endpoint);
            case 9:
                parts.Version = Pieces.Pick(random, ["HTTP/2.0", "HTTP/3.1", "HTTP/1.2", "HTTP/0.9", "HTTX/1.1", "HTTP/1.1 extra"]);
                return Bad("bad-version", parts.ToBytes(), endpoint) with { VersionNotSupported = true };
            case 10:
                var whole = parts.ToBytes();
                return Closed("truncated", whole[..random.Next(1, Math.Max(2, whole.Length - parts.Body.Length))], endpoint);
            case 11:
                parts.Target = "http://127.0.0.1" + parts.Target;
                return Bad("absolute-form", parts.ToBytes(), endpoint);
            case 12:
                return Bad("asterisk", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), "other");
            case 13:
                return Bad("leading-crlf", [.. "\r\n\r\n"u8, .. parts.ToBytes()], endpoint);
            case 14:
                parts.Target = parts.Target.Insert(Math.Min(parts.Target.Length, 10), Pieces.Pick(random, ["\u0001", "\u007f", "\t", " x", "\u0000"]));
                return Bad("control-in-target", parts.ToBytes(), endpoint);
            case 15:
                var bytes = parts.ToBytes();
                var at = Array.IndexOf(bytes, (byte)' ') + 10;
                return Bad("raw-invalid-utf8", [.. bytes[..at], 0xFF, 0xC3, 0x28, 0x80, .. bytes[at..]], endpoint);
            case 16:
                parts.Headers.Add(("X-Big", new string('h', random.Next(40_000, 80_000))));
                return Bad("huge-header", parts.ToBytes(), endpoint);
            case 17:
                parts.Headers.AddRange(Enumerable.Range(0, random.Next(110, 300)).Select(i => ($"X-H{i}", "v")));
                return Bad("many-headers", parts.ToBytes(), endpoint);
            default:
                parts.Headers.Add((Pieces.Pick(random, ["Bad Name", "Bad:Name", "", "X-\u00e9"]), Pieces.Pick(random, ["v", "a\u0001b", "\u00ff\u00fe"])));
                return Bad("bad-header", parts.ToBytes(), endpoint);
        }
    }

    private static FuzzRequest Bad(string kind, byte[] bytes, string endpoint) =>
        new("framing:" + kind, endpoint, bytes, Delivery.ReadUntilQuiet, WellFramed: false);

    private static FuzzRequest Closed(string kind, byte[] bytes, string endpoint) =>
        new("framing:" + kind, endpoint, bytes, Delivery.CloseAfterSend, WellFramed: false);

    /// <summary>The request's head (no length header of its own) with extra header lines.</summary>
    private static byte[] WithHead(RequestParts parts, string extraHeaders)
    {
        var chunked = parts.Chunked;
        parts.Chunked = false;
        var body = parts.Body;
        parts.Body = [];
        var head = Encoding.UTF8.GetString(parts.ToBytes(addLength: false));
        parts.Chunked = chunked;
        parts.Body = body;
        return Encoding.UTF8.GetBytes(head[..^parts.LineEnd.Length] + extraHeaders + "\r\n\r\n");
    }

    private static byte[] Splice(byte[] head, string body) => [.. head, .. Encoding.UTF8.GetBytes(body)];

    private static byte[] Splice(byte[] head, byte[] body) => [.. head, .. body];
}
