using System.CommandLine;

namespace KvDirectory.Cli;

/// <summary>
/// etcdctl's global flags. They are recursive so they may follow the verb too. Values not given on the
/// command line come from KVCTL_* and then ETCDCTL_* environment variables (see <see cref="CliSettings"/>).
/// </summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Endpoints = new("--endpoints", "--endpoint", "--peers", "-C")
    {
        Description = "a comma-delimited list of machine addresses in the cluster (default: \"http://127.0.0.1:2379,http://127.0.0.1:4001\")",
        Recursive = true,
    };

    public static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "output response in the given format (simple, extended, json or table)",
        Recursive = true,
    };

    public static readonly Option<bool> Debug = new("--debug")
    {
        Description = "output cURL commands which can be used to reproduce the request, and each response status",
        Recursive = true,
    };

    public static readonly Option<bool> NoSync = new("--no-sync")
    {
        Description = "don't synchronize cluster information before sending request",
        Recursive = true,
    };

    public static readonly Option<string?> Timeout = new("--timeout")
    {
        Description = "connection timeout per request (default 2s)",
        Recursive = true,
    };

    public static readonly Option<string?> TotalTimeout = new("--total-timeout")
    {
        Description = "timeout for the command execution, except watch (default 5s)",
        Recursive = true,
    };

    public static readonly Option<string?> Cert = new("--cert", "--cert-file")
    {
        Description = "identify HTTPS client using this SSL certificate file",
        Recursive = true,
    };

    public static readonly Option<string?> Key = new("--key", "--key-file")
    {
        Description = "identify HTTPS client using this SSL key file",
        Recursive = true,
    };

    public static readonly Option<string?> CaCert = new("--cacert", "--ca-file")
    {
        Description = "verify certificates of HTTPS-enabled servers using this CA bundle",
        Recursive = true,
    };

    public static readonly Option<string?> Username = new("--username", "-u")
    {
        Description = "provide username[:password] and prompt if password is not supplied.",
        Recursive = true,
    };

    public static IEnumerable<Option> All =>
        [Endpoints, Output, Debug, NoSync, Timeout, TotalTimeout, Cert, Key, CaCert, Username];
}
