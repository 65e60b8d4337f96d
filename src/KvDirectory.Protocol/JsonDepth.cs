namespace KvDirectory.Protocol;

/// <summary>
/// How deep the wire JSON may nest. A recursive answer nests two levels per key segment (a node, its <c>nodes</c>
/// array), so System.Text.Json's default of 64 made any tree deeper than about 31 segments unanswerable (a 500 with
/// an empty body). The server refuses keys deeper than <see cref="MaxKeySegments"/> (<c>--max-key-depth</c>'s ceiling).
/// </summary>
public static class JsonDepth
{
    public const int MaxKeySegments = 512;

    public const int Max = (2 * MaxKeySegments) + 16;
}
