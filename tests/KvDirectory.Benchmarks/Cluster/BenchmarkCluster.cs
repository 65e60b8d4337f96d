using KvDirectory.Benchmarks.Single;
using KvDirectory.Testing;
using System.Text.Json;

namespace KvDirectory.Benchmarks.Cluster;

/// <summary>
/// Three members of one server (etcd, ours, or a variant of ours) under one temp dir: bootstrapped fresh, or started on
/// a copy of a <see cref="ClusterSeed"/>'s data dirs at the seed's URLs (its members find their identity there).
/// Readiness and leadership are observed by polling HTTP with a deadline. Disposing kills every member and deletes the
/// temp dir, unless <see cref="KeepDataAsync"/> took it over.
/// </summary>
public sealed class BenchmarkCluster : IAsyncDisposable
{
    // Generous: seeded members took over 90 s to elect a leader at load 100 (the deadline only matters when something is wrong).
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static readonly string[] Names = ["m1", "m2", "m3"];

    private readonly string _root;
    private readonly IReadOnlyList<(Uri Client, string Peer)> _urls;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private bool _keepData;

    private BenchmarkCluster(string kind, string root, IReadOnlyList<(Uri Client, string Peer)> urls, IReadOnlyList<BenchmarkMember> members)
    {
        Kind = kind;
        _root = root;
        _urls = urls;
        Members = members;
    }

    /// <summary>The variant's name ("etcd", "kvdirectory" or a --variant's name): the label of its measurements.</summary>
    public string Kind { get; }

    public IReadOnlyList<BenchmarkMember> Members { get; }

    /// <summary>
    /// Starts the three members, fresh or on a copy of <paramref name="seed"/>. A fresh cluster tries again on new ports
    /// (up to three times) when a member exits while starting: a port picked free can be taken by another process
    /// before the member binds it, on a machine others test on. A seeded one must keep the seed's peer URLs.
    /// </summary>
    public static async Task<BenchmarkCluster> StartAsync(ServerVariant variant, ClusterTimings timings, ClusterSeed? seed, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(variant, timings, seed, cancellationToken);
            }
            catch (MemberExitedException error) when (attempt < 3 && seed is null)
            {
                Console.Error.WriteLine($"{variant.Name}: a member exited while starting (attempt {attempt}), trying again on new ports: {Reason(error.Output)}");
            }
        }
    }

    /// <summary>Stops the members and hands their data dirs and URLs over as the seed of later clusters (the caller deletes it).</summary>
    public async Task<ClusterSeed> KeepDataAsync()
    {
        _keepData = true;
        await DisposeAsync();
        return new ClusterSeed(_root, _urls);
    }

    private static async Task<BenchmarkCluster> StartOnceAsync(ServerVariant variant, ClusterTimings timings, ClusterSeed? seed, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), $"{variant.Kind}-bench-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        ChildProcessReaper.TrackDirectory(root);
        var urls = seed?.Urls ?? [.. Names.Select(_ => BenchmarkMember.AllocateUrls())];
        var initialCluster = string.Join(',', Names.Select((name, i) => $"{name}={urls[i].Peer}"));
        var members = new List<BenchmarkMember>();
        var cluster = new BenchmarkCluster(variant.Name, root, urls, members);
        try
        {
            for (var i = 0; i < Names.Length; i++)
            {
                var dataDir = Path.Combine(root, Names[i]);
                if (seed is not null)
                {
                    ClusterSeed.CopyDirectory(Path.Combine(seed.Root, Names[i]), dataDir);
                }

                members.Add(BenchmarkMember.Start(variant.Kind, Names[i], urls[i].Client, urls[i].Peer, initialCluster, dataDir, timings, variant.Environment, variant.ServerDll));
            }

            foreach (var member in members)
            {
                await cluster.PollAsync($"{variant.Name} {member.Name} healthy", async () =>
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
        if (!_keepData)
        {
            SingleNode.DeleteDirectory(_root);
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
