using System.Text;

namespace KvDirectory.Fuzz.Tests.Raw;

/// <summary>One HTTP/1.1 response as it came off the socket.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, bool Complete)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    public string? ContentType => Header("content-type");

    public bool ClosesConnection => string.Equals(Header("connection"), "close", StringComparison.OrdinalIgnoreCase);

    public string BodyText => Encoding.UTF8.GetString(Body);
}
