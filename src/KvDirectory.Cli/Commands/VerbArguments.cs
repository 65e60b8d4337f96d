using System.CommandLine;

namespace KvDirectory.Cli.Commands;

/// <summary>Positional arguments are taken loosely and checked by the verbs, so missing ones get etcdctl's wording and exit code.</summary>
public static class VerbArguments
{
    public static Argument<string[]> Create(string helpName) => new("args")
    {
        HelpName = helpName,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string> TtlOption() => new("--ttl") { Description = "key time-to-live in seconds", DefaultValueFactory = _ => "0" };

    /// <summary>etcdctl's int flags: a bad number is a usage error.</summary>
    public static long Number(string? text, string flag) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"invalid value \"{text}\" for flag -{flag}: parse error");
}
