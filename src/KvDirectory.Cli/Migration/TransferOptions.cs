using System.CommandLine;

namespace KvDirectory.Cli.Migration;

/// <summary>The options migrate and export share (and import's --concurrency).</summary>
public static class TransferOptions
{
    public static Option<string> Prefix() => new("--prefix")
    {
        Description = "the directory (or key) to copy, with everything below it",
        DefaultValueFactory = _ => "/",
    };

    public static Option<string[]> Hidden() => new("--hidden")
    {
        Description = "a hidden key or directory (a name starting with _) to copy too; the v2 API never lists them, so name each one (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<int> Concurrency() => new("--concurrency")
    {
        Description = "writes in flight at once",
        DefaultValueFactory = _ => 16,
    };

    /// <summary>A key as the API takes it: absolute, without a trailing slash (but <c>/</c> itself).</summary>
    public static string Normalize(string key) => "/" + key.Trim('/');

    public static int CheckConcurrency(int value) =>
        value is >= 1 and <= 1024 ? value : throw new CliException($"--concurrency must be between 1 and 1024, not {value}");
}
