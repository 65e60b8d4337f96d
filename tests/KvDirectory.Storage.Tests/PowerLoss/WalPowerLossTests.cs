using KvDirectory.Storage.FileSystem;
using KvDirectory.Testing.Disk;
using Xunit.Abstractions;

namespace KvDirectory.Storage.Tests.PowerLoss;

/// <summary>
/// The write-ahead log on a disk that loses power at random points (mid-write, mid-fsync, mid-rename, mid-release):
/// it always opens again and never loses what it acknowledged. And the check bites: the same runs with a file fsync
/// or a directory fsync skipped lose acknowledged data, and are caught.
/// </summary>
public sealed class WalPowerLossTests(ITestOutputHelper output)
{
    private const int Seeds = 300;

    [Fact]
    public void After_any_power_loss_the_log_opens_and_holds_everything_it_acknowledged()
    {
        var acknowledged = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var run = new WalPowerCut(seed).Run();
            if (run.Violations.Count > 0)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}: {string.Join("; ", run.Violations)}{Environment.NewLine}timeline:{Environment.NewLine}{run.Timeline}");
            }

            acknowledged += run.Acknowledged;
        }

        output.WriteLine($"{Seeds} seeds, {Seeds * 4} power losses, {acknowledged} acknowledged entries checked");
        acknowledged.Should().BeGreaterThan(Seeds * 10, "the runs must acknowledge enough to lose");
    }

    [Theory]
    [InlineData(nameof(FsyncMutations.SkipFileFsync))]
    [InlineData(nameof(FsyncMutations.SkipDirectorySync))]
    public void A_log_that_skips_an_fsync_is_caught_losing_acknowledged_data(string mutation)
    {
        Func<IStorageFileSystem, IStorageFileSystem> decorate = mutation == nameof(FsyncMutations.SkipFileFsync)
            ? FsyncMutations.SkipFileFsync
            : FsyncMutations.SkipDirectorySync;

        var caught = Enumerable.Range(1, Seeds).Select(seed => new WalPowerCut(seed, decorate).Run()).Where(r => r.Violations.Count > 0).ToArray();

        output.WriteLine($"{mutation}: caught in {caught.Length} of {Seeds} seeds; first: {caught.FirstOrDefault()?.Violations[0]}");
        caught.Should().NotBeEmpty($"skipping {mutation} must lose something acknowledged in some seed");
    }
}
