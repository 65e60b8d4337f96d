namespace KvDirectory.Server.Configuration;

/// <summary>
/// etcd's boolean flags are switches (<c>--client-cert-auth</c> alone means true, as Go's flag package reads it);
/// .NET's command-line configuration wants a value, so a bare switch is rewritten to <c>--flag=true</c>.
/// </summary>
public static class EtcdBooleanFlags
{
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal)
    {
        "client-cert-auth",
        "peer-client-cert-auth",
    };

    public static string[] Normalize(string[] args) =>
        [.. args.Select(arg => Switches.Contains(arg.TrimStart('-')) && arg.StartsWith('-') ? $"--{arg.TrimStart('-')}=true" : arg)];
}
