using System.Diagnostics;
using System.Text;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// One member process of a <see cref="MembershipCluster"/>, real etcd or ours, started with etcd's flags on its own
/// free loopback ports and data dir. Its id is what the cluster assigned (learned from <c>/v2/members</c> or from
/// the answer to <c>POST /v2/members</c>).
/// </summary>
public sealed class MembershipMember
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public MembershipMember(string name, string dataDir)
    {
        Name = name;
        DataDir = dataDir;
        ClientUrl = $"http://127.0.0.1:{MemberPorts.Next()}";
        PeerUrl = $"http://127.0.0.1:{MemberPorts.Next()}";
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

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Uri Url(string pathAndQuery) => new(ClientUrl + pathAndQuery);

    /// <param name="initialCluster">"name=peerURL,…" including this member.</param>
    /// <param name="state">"new" to bootstrap, "existing" to join a running cluster that already added this member.</param>
    public void Start(Server server, string initialCluster, string state, string token, IReadOnlyList<string> extraArguments)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }

        string[] flags =
        [
            "--name", Name,
            "--data-dir", DataDir,
            "--listen-client-urls", ClientUrl,
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", PeerUrl,
            "--initial-advertise-peer-urls", PeerUrl,
            "--initial-cluster", initialCluster,
            "--initial-cluster-state", state,
            "--initial-cluster-token", token,
            "--heartbeat-interval", MembershipCluster.HeartbeatMilliseconds,
            "--election-timeout", MembershipCluster.ElectionTimeoutMilliseconds,
            .. extraArguments,
        ];
        var info = server switch
        {
            Server.Etcd => new ProcessStartInfo(File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd"),
            Server.KvDirectory => new ProcessStartInfo("dotnet"),
            _ => throw new ArgumentOutOfRangeException(nameof(server), server, null),
        };
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        string[] prefix = server == Server.Etcd ? ["--enable-v2=true", "--log-level", "warn"] : [RepositoryPaths.ServerDll];
        foreach (var argument in prefix.Concat(flags))
        {
            info.ArgumentList.Add(argument);
        }

        Append($"starting: {string.Join(' ', info.ArgumentList)}");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL (the whole process tree); nothing gets flushed or closed cleanly. A no-op once exited.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself; false if it still runs at the deadline.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return true;
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process if it still runs and releases it.</summary>
    public async Task DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append('[').Append(Name).Append("] ").AppendLine(line);
        }
    }
}
