using System.Globalization;
using System.Text;

namespace KvDirectory.Fuzz.Tests.Generation;

/// <summary>A request before it becomes bytes, so that framing mutations can bend one part of it.</summary>
public sealed class RequestParts
{
    public required string Method { get; set; }

    public required string Target { get; set; }

    public string Version { get; set; } = "HTTP/1.1";

    public List<(string Name, string Value)> Headers { get; } = [];

    public byte[] Body { get; set; } = [];

    public bool Chunked { get; set; }

    public string LineEnd { get; set; } = "\r\n";

    /// <summary>The request as bytes: text as UTF-8 (a raw 中 in a path is sent as its UTF-8 bytes), Content-Length unless chunked.</summary>
    public byte[] ToBytes(bool addLength = true)
    {
        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(Target).Append(' ').Append(Version).Append(LineEnd);
        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append(LineEnd);
        }

        if (Chunked)
        {
            head.Append("Transfer-Encoding: chunked").Append(LineEnd);
        }
        else if (addLength && (Body.Length > 0 || Method is "PUT" or "POST" or "PATCH"))
        {
            head.Append("Content-Length: ").Append(Body.Length.ToString(CultureInfo.InvariantCulture)).Append(LineEnd);
        }

        head.Append(LineEnd);
        using var bytes = new MemoryStream();
        bytes.Write(Encoding.UTF8.GetBytes(head.ToString()));
        bytes.Write(Chunked ? ChunkedBody(Body) : Body);
        return bytes.ToArray();
    }

    private static byte[] ChunkedBody(byte[] body)
    {
        using var bytes = new MemoryStream();
        for (var offset = 0; offset < body.Length; offset += 7)
        {
            var size = Math.Min(7, body.Length - offset);
            bytes.Write(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            bytes.Write(body, offset, size);
            bytes.Write("\r\n"u8);
        }

        bytes.Write("0\r\n\r\n"u8);
        return bytes.ToArray();
    }
}
