namespace KvDirectory.Cli;

/// <summary>The global <c>--output</c> formats.</summary>
public static class OutputFormat
{
    public const string Simple = "simple";
    public const string Json = "json";
    public const string Extended = "extended";
    public const string Table = "table";
}
