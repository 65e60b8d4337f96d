namespace KvDirectory.Server.Configuration;

/// <summary>
/// etcd's boolean flags may stand alone (<c>--client-cert-auth</c>, <c>--explorer-read-only</c>), as Go's flag package allows; .NET's command-line
/// configuration wants a value. A bare boolean flag (last, or followed by another flag) becomes <c>--flag=true</c>.
/// </summary>
public static class BooleanFlags
{
    public static readonly IReadOnlyList<string> Names = ["explorer-read-only", "client-cert-auth", "peer-client-cert-auth", "disable-check-quorum"];

    public static string[] Normalize(string[] args)
    {
        var result = new string[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var bare = Names.Any(name => args[i] == "--" + name || args[i] == "-" + name);
            var valueFollows = i + 1 < args.Length && !args[i + 1].StartsWith('-');
            result[i] = bare && !valueFollows ? args[i] + "=true" : args[i];
        }

        return result;
    }
}
