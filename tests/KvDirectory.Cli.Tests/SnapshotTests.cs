using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>snapshot save / status against our server, and a restore through the server's --restore-from.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public async Task Snapshot_save_writes_a_verified_backup_that_status_reads_and_a_new_node_restores()
    {
        var backup = Path.Combine(Path.GetTempPath(), $"kvctl-{Guid.NewGuid():N}.snap");
        try
        {
            await using (var source = await ServerProcess.StartKvDirectoryAsync())
            {
                await Tools.KvctlAsync(source.Endpoint, "put", "/saved/a", "1");
                await Tools.KvctlAsync(source.Endpoint, "put", "/saved/b", "2");

                var save = await Tools.KvctlAsync(source.Endpoint, "snapshot", "save", backup);

                save.ExitCode.Should().Be(0, save.ToString());
                save.StandardOutput.Should().Be($"Snapshot saved at {backup} (etcd index 2)\n");
                File.Exists(backup + ".part").Should().BeFalse();
            }

            var status = await Tools.KvctlAsync("http://127.0.0.1:1", "snapshot", "status", backup, "-w", "table");
            status.ExitCode.Should().Be(0, status.ToString());
            status.StandardOutput.Should().Contain("| ETCD INDEX |").And.Contain("|          2 |");

            await using var restored = await ServerProcess.StartKvDirectoryAsync(["--restore-from", backup]);
            (await Tools.KvctlAsync(restored.Endpoint, "get", "--prefix", "/saved")).StandardOutput.Should().Be("/saved/a\n1\n/saved/b\n2\n");
        }
        finally
        {
            File.Delete(backup);
        }
    }

    [Fact]
    public async Task Snapshot_status_refuses_a_damaged_file_with_exit_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kvctl-{Guid.NewGuid():N}.snap");
        await File.WriteAllBytesAsync(path, "KVDBKP01 but then nothing useful"u8.ToArray());
        try
        {
            var status = await Tools.KvctlAsync("http://127.0.0.1:1", "snapshot", "status", path);

            status.ExitCode.Should().Be(1);
            status.StandardError.Should().Contain(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
