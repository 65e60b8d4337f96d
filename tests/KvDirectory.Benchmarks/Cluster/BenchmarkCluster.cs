using KvDirectory.Testing;
using System.Text.Json;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// Three members of one server ("etcd" or "kvdirectory") bootstrapped together under one temp dir. Readiness and
/// leadership are observed by polling HTTP with a deadline. Disposing kills every member and deletes the temp dir.
/// </summary>
public sealed class BenchmarkCluster : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private BenchmarkCluster(string kind, string root, IReadOnlyList<BenchmarkMember> members)
    {
        Kind = kind;
        _root = root;
        Members = members;
    }

    public string Kind { get; }

    public IReadOnlyList<BenchmarkMember> Members { get; }

    /// <summary>
    /// Starts the three members; tries again on new ports (up to three times) when a member exits while starting:
    /// a port picked free can be taken by another process before the member binds it, on a machine others test on.
    /// </summary>
    public static async Task<BenchmarkCluster> StartAsync(string kind, ClusterTimings timings, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(kind, timings, cancellationToken);
            }
            catch (MemberExitedException error) when (attempt < 3)
            {
                Console.Error.WriteLine($"{kind}: a member exited while starting (attempt {attempt}), trying again on new ports: {Reason(error.Output)}");
            }
        }
    }

    private static async Task<BenchmarkCluster> StartOnceAsync(string kind, ClusterTimings timings, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), $"{kind}-bench-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        ChildProcessReaper.TrackDirectory(root);
        string[] names = ["m1", "m2", "m3"];
        var urls = names.Select(_ => BenchmarkMember.AllocateUrls()).ToArray();
        var initialCluster = string.Join(',', names.Select((name, i) => $"{name}={urls[i].Peer}"));
        var members = new List<BenchmarkMember>();
        var cluster = new BenchmarkCluster(kind, root, members);
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                var dataDir = Path.Combine(root, names[i]);
                members.Add(BenchmarkMember.Start(kind, names[i], urls[i].Client, urls[i].Peer, initialCluster, dataDir, timings));
            }

            foreach (var member in members)
            {
                await cluster.PollAsync($"{kind} {member.Name} healthy", async () =>
                {
                    using var response = await cluster._http.GetAsync(new Uri(member.ClientUrl, "/health"), cancellationToken);
                    return response.IsSuccessStatusCode;
                }, cancellationToken);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>The member all three report as leader, once they agree and it calls itself leader.</summary>
    public async Task<BenchmarkMember> WaitForLeaderAsync(CancellationToken cancellationToken)
    {
        BenchmarkMember? leader = null;
        await PollAsync($"{Kind}: an agreed leader", async () =>
        {
            var index = await AgreedLeader.FindAsync(_http, [.. Members.Select(m => m.ClientUrl)], cancellationToken);
            leader = index is { } i ? Members[i] : null;
            return leader is not null;
        }, cancellationToken);
        return leader!;
    }

    /// <summary>Whether <paramref name="member"/> still calls itself leader (a leader change in a window makes its numbers meaningless).</summary>
    public async Task<bool> IsLeaderAsync(BenchmarkMember member, CancellationToken cancellationToken)
    {
        using var self = JsonDocument.Parse(await _http.GetStringAsync(new Uri(member.ClientUrl, "/v2/stats/self"), cancellationToken));
        return self.RootElement.GetProperty("state").GetString() == "StateLeader";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
            ChildProcessReaper.ForgetDirectory(_root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not delete {_root}: {e.Message}");
        }
    }

    /// <summary>The member's first line that looks like why it stopped, shortened.</summary>
    private static string Reason(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.Contains("in use", StringComparison.OrdinalIgnoreCase)
                                                        || l.Contains("fail", StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        return line.Length > 240 ? line[..240] + "…" : line;
    }

    private async Task PollAsync(string what, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var exited = Members.FirstOrDefault(m => m.HasExited);
            if (exited is not null)
            {
                throw new MemberExitedException($"{Kind} {exited.Name} exited while waiting for {what}", exited.Output);
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException
                                          || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not reached after {Deadline}:\n{string.Join('\n', Members.Select(m => $"[{m.Name}] {m.Output}"))}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
