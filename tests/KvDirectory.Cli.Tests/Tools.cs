using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>Runs the built kvctl and real etcdctl (v2 API) as processes.</summary>
public static class Tools
{
    public static Task<CommandResult> KvctlAsync(string endpoint, params string[] args) =>
        KvctlWithAsync(endpoint, null, null, args);

    public static Task<CommandResult> KvctlWithAsync(string? endpoint, IReadOnlyDictionary<string, string?>? environment, string? standardInput, params string[] args)
    {
        var arguments = new List<string> { RepositoryPaths.CliDll };
        if (endpoint is not null)
        {
            arguments.AddRange(["--endpoints", endpoint]);
        }

        arguments.AddRange(args);
        return CommandRunner.RunAsync("dotnet", arguments, Isolated(environment), standardInput: standardInput);
    }

    public static Task<CommandResult> EtcdctlAsync(string endpoint, params string[] args)
    {
        var environment = Isolated(new Dictionary<string, string?> { ["ETCDCTL_API"] = "2" });
        return CommandRunner.RunAsync("/usr/bin/etcdctl", ["--endpoints", endpoint, .. args], environment);
    }

    /// <summary>Unique per test, so tests sharing a server never see each other's keys.</summary>
    public static string UniquePrefix(string name) => $"/{name}-{Guid.NewGuid():N}"[..(name.Length + 10)];

    /// <summary>The test host's own KVCTL_/ETCDCTL_ variables must not leak into the tools under test.</summary>
    private static Dictionary<string, string?> Isolated(IReadOnlyDictionary<string, string?>? extra)
    {
        var environment = new Dictionary<string, string?>();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("KVCTL_", StringComparison.Ordinal) || name.StartsWith("ETCDCTL_", StringComparison.Ordinal))
            {
                environment[name] = null;
            }
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return environment;
    }
}
