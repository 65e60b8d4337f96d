namespace KvDirectory.Benchmarks.Single;

/// <summary>
/// One server as the single-node benchmark runs it: etcd, our built server, or our server with other runtime settings
/// (environment variables such as <c>DOTNET_TieredPGO=0</c>) or another build of it (a ReadyToRun publish), so a
/// change can be measured against the baseline in the same run.
/// </summary>
/// <param name="Auth">v2 auth switched on and every request signed in (<see cref="BenchmarkAuth"/>); its name ends in "-auth".</param>
public sealed record ServerVariant(string Name, string Kind, IReadOnlyDictionary<string, string> Environment, string? ServerDll = null, bool Auth = false)
{
    public const string AuthSuffix = "-auth";

    public static ServerVariant Etcd { get; } = new("etcd", "etcd", new Dictionary<string, string>());

    public static ServerVariant KvDirectory { get; } = new("kvdirectory", "kvdirectory", new Dictionary<string, string>());

    /// <summary>The same server with auth on, named NAME-auth.</summary>
    public ServerVariant WithAuth() => this with { Name = Name + AuthSuffix, Auth = true };

    /// <summary>
    /// Whom this variant's figures are compared with: etcd in the same auth state, with auth on itself without it, and
    /// without auth the Kestrel ceiling (when measured: how close to it this server comes).
    /// </summary>
    public static IEnumerable<string> Baselines(string name)
    {
        var auth = name.EndsWith(AuthSuffix, StringComparison.Ordinal);
        yield return auth ? "etcd" + AuthSuffix : "etcd";
        if (auth)
        {
            yield return name[..^AuthSuffix.Length];
        }
        else if (name != KestrelCeiling.Name)
        {
            yield return KestrelCeiling.Name;
        }
    }

    /// <summary>
    /// <c>NAME:VAR=VALUE,VAR=VALUE</c>: our server with those environment variables; the pseudo variable <c>dll</c>
    /// names another build of the server (e.g. <c>r2r:dll=/tmp/r2r/kvdirectory.dll</c>).
    /// </summary>
    public static ServerVariant Parse(string specification)
    {
        var colon = specification.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new ArgumentException($"--variant takes NAME:VAR=VALUE[,VAR=VALUE], not '{specification}'");
        }

        var environment = new Dictionary<string, string>();
        string? dll = null;
        foreach (var setting in specification[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--variant: '{setting}' is not VAR=VALUE");
            }

            var (variable, value) = (setting[..equals], setting[(equals + 1)..]);
            if (variable == "dll")
            {
                dll = File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--variant: no server dll at {value}");
            }
            else
            {
                environment[variable] = value;
            }
        }

        return new ServerVariant(specification[..colon], "kvdirectory", environment, dll);
    }

    public override string ToString() =>
        Environment.Count == 0 && ServerDll is null
            ? Name
            : $"{Name} ({string.Join(' ', Environment.Select(e => $"{e.Key}={e.Value}").Append(ServerDll is null ? string.Empty : $"dll={ServerDll}")).Trim()})";
}
