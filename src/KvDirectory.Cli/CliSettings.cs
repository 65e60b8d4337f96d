using KvDirectory.Protocol;
using System.CommandLine;

namespace KvDirectory.Cli;

/// <summary>
/// The global settings of one run: command line first, then KVCTL_* environment variables, then
/// ETCDCTL_* ones (so existing etcdctl set-ups work), then etcdctl's defaults.
/// </summary>
public sealed record CliSettings
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    public required string Output { get; init; }

    public bool Debug { get; init; }

    public bool NoSync { get; init; }

    public TimeSpan Timeout { get; init; }

    public TimeSpan TotalTimeout { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    public string? CaFile { get; init; }

    public string? Username { get; init; }

    public static CliSettings From(ParseResult parse)
    {
        var endpoints = Resolve(parse, GlobalOptions.Endpoints, "KVCTL_ENDPOINTS", "ETCDCTL_ENDPOINTS", "ETCDCTL_ENDPOINT", "ETCDCTL_PEERS")
            ?? "http://127.0.0.1:2379,http://127.0.0.1:4001";
        return new CliSettings
        {
            Endpoints = endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEndpoint).ToList(),
            Output = Resolve(parse, GlobalOptions.Output, "KVCTL_OUTPUT") ?? OutputFormat.Simple,
            Debug = parse.GetValue(GlobalOptions.Debug) || IsTrue(Environment.GetEnvironmentVariable("KVCTL_DEBUG")),
            NoSync = parse.GetValue(GlobalOptions.NoSync) || IsTrue(Environment.GetEnvironmentVariable("KVCTL_NO_SYNC")),
            Timeout = Duration(Resolve(parse, GlobalOptions.Timeout, "KVCTL_TIMEOUT"), "timeout", TimeSpan.FromSeconds(2)),
            TotalTimeout = Duration(Resolve(parse, GlobalOptions.TotalTimeout, "KVCTL_TOTAL_TIMEOUT"), "total-timeout", TimeSpan.FromSeconds(5)),
            CertFile = Resolve(parse, GlobalOptions.Cert, "KVCTL_CERT", "ETCDCTL_CERT_FILE"),
            KeyFile = Resolve(parse, GlobalOptions.Key, "KVCTL_KEY", "ETCDCTL_KEY_FILE"),
            CaFile = Resolve(parse, GlobalOptions.CaCert, "KVCTL_CACERT", "ETCDCTL_CA_FILE"),
            Username = Resolve(parse, GlobalOptions.Username, "KVCTL_USERNAME", "ETCDCTL_USERNAME"),
        };
    }

    private static string? Resolve(ParseResult parse, Option<string?> option, params string[] variables)
    {
        var value = parse.GetValue(option);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        return variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }

    internal static Uri ParseEndpoint(string endpoint)
    {
        var withScheme = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)
            ? uri
            : throw new CliException($"parse {endpoint}: invalid URI for request");
    }

    private static TimeSpan Duration(string? text, string flag, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        return GoDuration.TryParse(text, out var duration)
            ? duration
            : throw new CliException($"invalid value \"{text}\" for flag -{flag}: time: invalid duration {text}");
    }

    private static bool IsTrue(string? value) => value is "1" or "true" or "TRUE" or "True" or "t" or "T";
}
