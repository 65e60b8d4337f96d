using System.Globalization;
using Xunit.Abstractions;

namespace KvDirectory.Cluster.Tests;

/// <summary>
/// A data dir holding a known sequence of acknowledged writes, made by a node that was then SIGKILLed.
/// Tests that damage the WAL work on copies of it.
/// </summary>
public sealed class WrittenKeysFixture : IAsyncLifetime
{
    public const int KeyCount = 40;

    public TempDataDir DataDir { get; } = new("kvdir-wal-damage");

    /// <summary>Key → (value, modifiedIndex) as the server acknowledged, in write order.</summary>
    public List<(string Key, string Value, long ModifiedIndex)> Written { get; } = [];

    public async Task InitializeAsync()
    {
        await using var node = await NodeProcess.StartAsync(DataDir);
        using var client = new KeysClient(node.ClientUrl, 1);
        for (var i = 0; i < KeyCount; i++)
        {
            // One at a time, so the last write is alone in the last batch at the end of the WAL.
            var key = string.Create(CultureInfo.InvariantCulture, $"/torn/{i}");
            var value = string.Create(CultureInfo.InvariantCulture, $"torn-value-{i:D4}");
            var response = await client.PutAsync(key, value);
            response.IsSuccess.Should().BeTrue(response.Text);
            Written.Add((key, value, response.ModifiedIndex));
        }

        await node.KillAsync();
    }

    public Task DisposeAsync()
    {
        DataDir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Checks every write is served; the last one may be missing (its record was the one damaged).</summary>
    public async Task VerifyServedAsync(NodeProcess node, string because)
    {
        using var client = new KeysClient(node.ClientUrl, 1);
        for (var i = 0; i < Written.Count; i++)
        {
            var (key, value, index) = Written[i];
            var response = await client.GetAsync(key);
            if (i == Written.Count - 1 && response.ErrorCode == 100)
            {
                continue;
            }

            response.IsSuccess.Should().BeTrue($"{key} was acknowledged ({because}): {response.Text}\n{node.Output}");
            response.Value.Should().Be(value, because);
            response.ModifiedIndex.Should().Be(index, because);
        }
    }

    public void Log(ITestOutputHelper output) => output.WriteLine($"fixture: {Written.Count} keys in {DataDir.Path}");
}
