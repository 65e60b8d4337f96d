using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// Which server is judged against real etcd. KVDIR_CANDIDATE=etcd runs the whole suite etcd-vs-etcd, which proves
/// the harness itself: that run must be all-identical before a difference can be blamed on our server.
/// </summary>
public static class CandidateKind
{
    public static string Name { get; } = Read();

    public static bool IsKvDirectory => Name == "kvdirectory";

    /// <summary>Starts the candidate; <paramref name="kvDirectoryArguments"/> only apply to our server (etcd would reject unknown flags).</summary>
    public static Task<ServerProcess> StartAsync(IEnumerable<string>? kvDirectoryArguments = null) =>
        IsKvDirectory ? ServerProcess.StartKvDirectoryAsync(kvDirectoryArguments) : ServerProcess.StartEtcdAsync();

    private static string Read()
    {
        var value = Environment.GetEnvironmentVariable("KVDIR_CANDIDATE");
        if (string.IsNullOrWhiteSpace(value))
        {
            return "kvdirectory";
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "etcd" => "etcd",
            "kvdirectory" => "kvdirectory",
            var other => throw new InvalidOperationException($"KVDIR_CANDIDATE must be etcd or kvdirectory, not '{other}'"),
        };
    }
}
