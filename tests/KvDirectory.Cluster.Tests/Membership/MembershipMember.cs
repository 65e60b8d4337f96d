using KvDirectory.Testing.Processes;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// One member process of a <see cref="MembershipCluster"/>, real etcd or ours, started with etcd's flags on its own
/// free loopback ports and data dir. Its id is what the cluster assigned (learned from <c>/v2/members</c> or from
/// the answer to <c>POST /v2/members</c>).
/// </summary>
public sealed class MembershipMember
{
    private readonly ProcessOutput _output;
    private LaunchedServer? _process;

    public MembershipMember(string name, string dataDir)
    {
        Name = name;
        DataDir = dataDir;
        ClientUrl = $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";
        PeerUrl = $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";
        _output = new ProcessOutput($"[{name}] ");
    }

    public string Name { get; }

    public string DataDir { get; }

    /// <summary>Without a trailing slash, exactly as <c>/v2/members</c> lists it.</summary>
    public string ClientUrl { get; }

    public string PeerUrl { get; }

    /// <summary>The member id in etcd's text form (hex without leading zeros); empty until known.</summary>
    public string Id { get; set; } = string.Empty;

    public bool IsRunning => _process is { HasExited: false };

    public bool HasExited => _process is { HasExited: true };

    public int? ExitCode => _process is { HasExited: true } ? _process.ExitCode : null;

    public string Output => _output.ToString();

    public Uri Url(string pathAndQuery) => new(ClientUrl + pathAndQuery);

    /// <param name="initialCluster">"name=peerURL,…" including this member.</param>
    /// <param name="state">"new" to bootstrap, "existing" to join a running cluster that already added this member.</param>
    public void Start(Server server, string initialCluster, string state, string token, IReadOnlyList<string> extraArguments)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        var launch = new ServerLaunch
        {
            Kind = server == Server.Etcd ? ServerLaunch.Etcd : ServerLaunch.KvDirectory,
            Arguments =
            [
                .. ServerLaunch.MemberFlags(Name, DataDir, ClientUrl, PeerUrl, initialCluster),
                "--initial-cluster-state", state,
                "--initial-cluster-token", token,
                "--heartbeat-interval", MembershipCluster.HeartbeatMilliseconds,
                "--election-timeout", MembershipCluster.ElectionTimeoutMilliseconds,
                .. extraArguments,
            ],
            Output = _output,
        };
        _output.Append($"starting: {launch.Kind} {string.Join(' ', launch.Arguments)}");
        _process = LaunchedServer.Start(launch);
    }

    /// <summary>SIGKILL (the whole process tree); nothing gets flushed or closed cleanly. A no-op once exited.</summary>
    public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

    /// <summary>Waits for the process to exit by itself; false if it still runs at the deadline.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process?.WaitForExitAsync(timeout) ?? Task.FromResult(true);

    /// <summary>Kills the process if it still runs and releases it.</summary>
    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = null;
    }
}
