using System.Text.Json;
using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests.Migration;

/// <summary>kvctl migrate from a real etcd 3.4 into KvDirectory, as a team would run it, checked key by key.</summary>
public sealed class MigrateTests(SourceCluster source) : IClassFixture<SourceCluster>
{
    [Fact]
    public async Task A_migration_copies_every_key_directory_ttl_hidden_and_in_order_key()
    {
        await using var target = await ServerProcess.StartKvDirectoryAsync();
        var result = await MigrateAsync(target);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().MatchRegex(@"^Copied 10\d{3} keys and \d+ directories from http://127\.0\.0\.1:\d+ / at etcd index \d+\n$");
        result.StandardError.Should().BeEmpty("no progress is drawn when stderr is not a terminal");
        await ShouldHoldTheSourceAsync(target);
    }

    [Fact]
    public async Task An_interrupted_migration_can_be_run_again()
    {
        await using var target = await ServerProcess.StartKvDirectoryAsync();
        await using (var first = BackgroundKvctl.Start(target.Endpoint, "migrate", "--concurrency", "1", "--from", source.Endpoint, "--hidden", SourceCluster.Hidden[0], "--hidden", SourceCluster.Hidden[1]))
        {
            // Killed once part of the bulk is in: some keys are there, most are not.
            await WaitUntilAsync(async () => (await TreeSnapshot.ReadAsync(target.Endpoint, "/bulk")).Count(i => !i.Dir) >= 500, TimeSpan.FromSeconds(60));
        }

        (await TreeSnapshot.ReadAsync(target.Endpoint, "/bulk")).Count(i => !i.Dir).Should().BeLessThan(SourceCluster.BulkKeys, "the first run was cut short");
        var rerun = await MigrateAsync(target);
        rerun.ExitCode.Should().Be(0, rerun.StandardError);
        await ShouldHoldTheSourceAsync(target);

        var again = await MigrateAsync(target);
        again.ExitCode.Should().Be(0, again.StandardError);
        await ShouldHoldTheSourceAsync(target);
    }

    [Fact]
    public async Task Export_and_import_carry_a_tree_through_a_file()
    {
        await using var target = await ServerProcess.StartKvDirectoryAsync();
        var file = Path.Combine(Path.GetTempPath(), $"dump-{Guid.NewGuid():N}.json");
        try
        {
            var export = await Tools.KvctlAsync(source.Endpoint, "export", "--prefix", "/app", "--hidden", SourceCluster.Hidden[0], file);
            export.ExitCode.Should().Be(0, export.StandardError);
            export.StandardOutput.Should().MatchRegex($@"^Exported \d+ keys and \d+ directories of /app at etcd index \d+ to {System.Text.RegularExpressions.Regex.Escape(file)}\n$");
            using (var dump = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
            {
                dump.RootElement.GetProperty("format").GetString().Should().Be("kvdirectory-dump");
                dump.RootElement.GetProperty("prefix").GetString().Should().Be("/app");
            }

            var import = await Tools.KvctlAsync(target.Endpoint, "import", file);
            import.ExitCode.Should().Be(0, import.StandardError);
            import.StandardOutput.Should().MatchRegex(@"^Imported \d+ keys and \d+ directories of /app from .+\n$");
            (await TreeSnapshot.ReadAsync(target.Endpoint, "/app", SourceCluster.Hidden[0]))
                .ShouldMatch(await TreeSnapshot.ReadAsync(source.Endpoint, "/app", SourceCluster.Hidden[0]));

            // Twice is harmless, and stdin works as well as a file.
            var again = await Tools.KvctlWithAsync(target.Endpoint, null, await File.ReadAllTextAsync(file), "import", "-");
            again.ExitCode.Should().Be(0, again.StandardError);
            (await TreeSnapshot.ReadAsync(target.Endpoint, "/app", SourceCluster.Hidden[0]))
                .ShouldMatch(await TreeSnapshot.ReadAsync(source.Endpoint, "/app", SourceCluster.Hidden[0]));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Export_to_stdout_is_the_dump_alone()
    {
        var export = await Tools.KvctlAsync(source.Endpoint, "export", "--prefix", "/app/config");
        export.ExitCode.Should().Be(0, export.StandardError);
        using var dump = JsonDocument.Parse(export.StandardOutput);
        dump.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("key").GetString())
            .Should().Equal("/app/config", "/app/config/db", "/app/config/db/host", "/app/config/db/port", "/app/config/feature flags", "/app/config/feature flags/dark-mode");
        export.StandardError.Should().StartWith("Exported 3 keys and 3 directories of /app/config");
    }

    [Fact]
    public async Task Import_refuses_a_file_that_is_not_a_dump()
    {
        await using var target = await ServerProcess.StartKvDirectoryAsync();
        var result = await Tools.KvctlWithAsync(target.Endpoint, null, "{\"format\":\"something-else\",\"prefix\":\"/\",\"nodes\":[]}", "import");
        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("is not a KvDirectory dump");
        var garbage = await Tools.KvctlWithAsync(target.Endpoint, null, "not json", "import");
        garbage.ExitCode.Should().Be(1);
        garbage.StandardError.Should().Contain("is not a KvDirectory dump");
    }

    private Task<CommandResult> MigrateAsync(ServerProcess target) => CommandRunner.RunAsync(
        "dotnet",
        [RepositoryPaths.CliDll, "--endpoints", target.Endpoint, "--timeout", "10s", "migrate", "--from", source.Endpoint, "--hidden", SourceCluster.Hidden[0], "--hidden", SourceCluster.Hidden[1]],
        timeout: TimeSpan.FromMinutes(3));

    private async Task ShouldHoldTheSourceAsync(ServerProcess target)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var expected = await TreeSnapshot.ReadAsync(source.Endpoint, "/", SourceCluster.Hidden);
        var actual = await TreeSnapshot.ReadAsync(target.Endpoint, "/", SourceCluster.Hidden);
        var readsApart = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        expected.Count(i => !i.Dir).Should().BeGreaterThan(SourceCluster.BulkKeys);
        expected.Should().Contain(i => i.Key.StartsWith("/queue/jobs/0000", StringComparison.Ordinal));
        expected.Should().Contain(i => i.Ttl > 0 && i.Dir).And.Contain(i => i.Ttl > 0 && !i.Dir);
        actual.ShouldMatch(expected, readsApart);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not reached within {timeout}");
            }

            await Task.Delay(20);
        }
    }
}
