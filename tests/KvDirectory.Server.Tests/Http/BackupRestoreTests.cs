using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json;
using KvDirectory.Protocol;
using KvDirectory.Server.Hosting;
using KvDirectory.Store;
using KvDirectory.Testing;

namespace KvDirectory.Server.Tests.Http;

public sealed class BackupRestoreTests
{
    [Fact]
    public async Task A_backup_from_a_running_node_starts_a_new_data_dir_with_the_same_keys_and_indexes()
    {
        var backup = Path.GetTempFileName();
        string[] keys = ["/a", "/dir/b", "/dir/_hidden", "/q/in-order"];
        try
        {
            string original;
            await using (var source = await InProcessServer.StartAsync())
            {
                foreach (var key in keys)
                {
                    (await source.Client.PutAsync("/v2/keys" + key, new FormUrlEncodedContent([new("value", "v" + key)]))).EnsureSuccessStatusCode();
                }

                original = await source.Client.GetStringAsync("/v2/keys/dir?recursive=true&sorted=true");
                using var response = await source.Client.GetAsync("/v2/admin/snapshot");
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream");
                await File.WriteAllBytesAsync(backup, await response.Content.ReadAsByteArrayAsync());
            }

            await using var restored = await InProcessServer.StartAsync("--restore-from", backup);

            (await restored.Client.GetStringAsync("/v2/keys/dir?recursive=true&sorted=true")).Should().Be(original);
            (await restored.Client.GetStringAsync("/v2/keys/dir/_hidden")).Should().Contain("v/dir/_hidden");
            var write = await restored.Client.PutAsync("/v2/keys/after", new FormUrlEncodedContent([new("value", "x")]));
            var etcdEvent = JsonSerializer.Deserialize(await write.Content.ReadAsStringAsync(), ProtocolJsonContext.Default.EtcdEvent)!;
            etcdEvent.Node!.ModifiedIndex.Should().Be(keys.Length + 1, "the etcd index carries on from the backup");
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public async Task The_digest_of_a_restored_node_equals_the_digest_of_its_source_and_changes_with_a_write()
    {
        var backup = Path.GetTempFileName();
        try
        {
            StoreDigest original;
            await using (var source = await InProcessServer.StartAsync())
            {
                (await source.Client.PutAsync("/v2/keys/d/k", new FormUrlEncodedContent([new("value", "1")]))).EnsureSuccessStatusCode();
                original = await ReadDigestAsync(source.Client);
                await File.WriteAllBytesAsync(backup, await source.Client.GetByteArrayAsync("/v2/admin/snapshot"));
            }

            await using var restored = await InProcessServer.StartAsync("--restore-from", backup);
            (await ReadDigestAsync(restored.Client)).Should().Be(original);
            original.Index.Should().Be(1);
            original.Sha256.Should().MatchRegex("^[0-9a-f]{64}$");

            (await restored.Client.PutAsync("/v2/keys/d/k", new FormUrlEncodedContent([new("value", "1")]))).EnsureSuccessStatusCode();
            var after = await ReadDigestAsync(restored.Client);
            after.Index.Should().Be(2);
            after.Sha256.Should().NotBe(original.Sha256, "the same value at a new modifiedIndex is a different tree");
            (await restored.Client.PostAsync("/v2/admin/digest", null)).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public async Task Backups_taken_while_keys_are_written_are_each_one_point_of_the_history_and_the_node_goes_on_snapshotting()
    {
        await using var server = await InProcessServer.StartAsync("--snapshot-count", "20");
        const int Writes = 300;
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < Writes; i++)
            {
                using var put = await server.Client.PutAsync($"/v2/keys/k/{i:D4}", new FormUrlEncodedContent([new("value", $"v{i}")]));
                put.EnsureSuccessStatusCode();
            }
        });
        var backups = new List<byte[]>();
        while (!writing.IsCompleted)
        {
            backups.Add(await server.Client.GetByteArrayAsync("/v2/admin/snapshot"));
        }

        await writing;
        backups.Add(await server.Client.GetByteArrayAsync("/v2/admin/snapshot"));

        foreach (var bytes in backups)
        {
            var (index, tree) = BackupFile.Read(new MemoryStream(bytes));
            var store = new V2Store(new StoreOptions(), TimeProvider.System);
            store.RestoreSnapshot(tree);
            store.CurrentIndex.Should().Be(index, "the header gives the index of the tree it carries");
            // The i-th PUT is index i + 1, so one point of the history at index n holds exactly the first n keys.
            var keys = index == 0 ? [] : store.Get("/k", true, true).Node!.Nodes!.Select(node => node.Key).ToArray();
            keys.Should().Equal(Enumerable.Range(0, (int)index).Select(i => $"/k/{i:D4}"));
        }

        BackupFile.Read(new MemoryStream(backups[^1])).EtcdIndex.Should().Be(Writes);

        // The node's own snapshots wait while a backup serialises and carry on after it.
        var capturesBefore = SnapshotCaptures(await server.Client.GetStringAsync("/metrics"));
        for (var i = 0; i < 25; i++)
        {
            (await server.Client.PutAsync("/v2/keys/after", new FormUrlEncodedContent([new("value", $"{i}")]))).EnsureSuccessStatusCode();
        }

        var captures = SnapshotCaptures(await server.Client.GetStringAsync("/metrics"));
        for (var attempt = 0; attempt < 600 && captures == capturesBefore; attempt++)
        {
            await Task.Delay(50);
            captures = SnapshotCaptures(await server.Client.GetStringAsync("/metrics"));
        }

        captures.Should().BeGreaterThan(capturesBefore);
    }

    private static long SnapshotCaptures(string metrics) =>
        long.Parse(Regex.Match(metrics, "^kvdirectory_snapshot_capture_duration_seconds_count (\\d+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    private static async Task<StoreDigest> ReadDigestAsync(HttpClient client) =>
        JsonSerializer.Deserialize(await client.GetStringAsync("/v2/admin/digest"), ProtocolJsonContext.Default.StoreDigest)!;

    [Fact]
    public async Task A_damaged_backup_is_refused_before_anything_is_written()
    {
        var backup = Path.GetTempFileName();
        var dataDir = Path.Combine(Path.GetTempPath(), "kvdirectory-restore-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var source = await InProcessServer.StartAsync())
            {
                await source.Client.PutAsync("/v2/keys/a", new FormUrlEncodedContent([new("value", "1")]));
                var bytes = await source.Client.GetByteArrayAsync("/v2/admin/snapshot");
                bytes[^40] ^= 0xFF;
                await File.WriteAllBytesAsync(backup, bytes);
            }

            var start = () => ServerHost.Build(["--listen-client-urls", $"http://127.0.0.1:{FreePort.Next()}", "--data-dir", dataDir, "--restore-from", backup])
                .Services.GetService(typeof(KvDirectory.Node.ReplicatedNode));

            start.Should().Throw<FormatException>().WithMessage("*checksum*");
            Directory.Exists(Path.Combine(dataDir, "member")).Should().BeFalse();
        }
        finally
        {
            File.Delete(backup);
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Restore_refuses_a_data_dir_that_already_holds_data()
    {
        var backup = Path.GetTempFileName();
        try
        {
            await using var server = await InProcessServer.StartAsync();
            await File.WriteAllBytesAsync(backup, await server.Client.GetByteArrayAsync("/v2/admin/snapshot"));
            var existing = Path.Combine(Path.GetTempPath(), "kvdirectory-existing-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(existing, "member"));

            var start = () => ServerHost.Build(["--listen-client-urls", $"http://127.0.0.1:{FreePort.Next()}", "--data-dir", existing, "--restore-from", backup])
                .Services.GetService(typeof(KvDirectory.Node.ReplicatedNode));

            start.Should().Throw<InvalidOperationException>().WithMessage("*already holds*");
            Directory.Delete(existing, recursive: true);
            (await server.Client.GetAsync("/v2/admin/snapshot")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            File.Delete(backup);
        }
    }
}
