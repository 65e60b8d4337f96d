using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests.Migration;

/// <summary>
/// A real etcd 3.4 filled the way a team's would be: nested directories, keys and directories with TTLs, hidden keys,
/// an in-order queue, an empty directory, awkward values, and 10,000 plain keys.
/// </summary>
public sealed class SourceCluster : IAsyncLifetime
{
    public const int BulkKeys = 10_000;

    public static readonly string[] Hidden = ["/app/_lock", "/_private"];

    public ServerProcess Etcd { get; private set; } = null!;

    private EtcdKeysWriter Writer => new(Endpoint);

    public string Endpoint => Etcd.Endpoint;

    public async Task InitializeAsync()
    {
        Etcd = await ServerProcess.StartEtcdAsync();
        await PutAsync("/app/config/db/host", "value=10.0.0.1");
        await PutAsync("/app/config/db/port", "value=5432");
        await PutAsync("/app/config/feature%20flags/dark-mode", "value=" + Uri.EscapeDataString("on\n\"quoted\" <&> é 中"));
        await PutAsync("/app/session", "value=alive&ttl=300");
        await PutAsync("/app/ephemeral", "dir=true&ttl=600");
        await PutAsync("/app/ephemeral/member", "value=m1");
        await PutAsync("/app/empty", "dir=true");
        await PutAsync("/app/_lock", "value=owner-1&ttl=120");
        await PutAsync("/_private/token", "value=s3cr3t");
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(HttpMethod.Post, "/queue/jobs", $"value=job{i}");
        }

        await Parallel.ForEachAsync(Enumerable.Range(0, BulkKeys), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await PutAsync($"/bulk/d{i % 50:D2}/k{i:D5}", $"value=v{i}"));
    }

    public async Task DisposeAsync() => await Etcd.DisposeAsync();

    public Task PutAsync(string key, string form) => Writer.PutAsync(key, form);

    public Task SendAsync(HttpMethod method, string key, string form) => Writer.SendAsync(method, key, form);
}
