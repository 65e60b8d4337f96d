using System.Net.Sockets;
using KvDirectory.Testing.Faults;

namespace KvDirectory.Cluster.Tests.Faults;

public sealed class FaultProxyConcurrencyTests
{
    [Fact]
    public async Task Stalls_toggled_from_many_threads_mid_stream_never_lose_or_reorder_a_byte()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Endpoint);
        using var client = await Net.ConnectAsync(proxy.Endpoint);
        var payload = new byte[256 * 1024];
        new Random(11).NextBytes(payload);
        var receiving = client.ReceiveExactlyAsync(payload.Length);
        using var stopToggling = new CancellationTokenSource();

        var togglers = Enumerable.Range(0, 4).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            while (!stopToggling.IsCancellationRequested)
            {
                switch (random.Next(4))
                {
                    case 0: proxy.Cut(FaultMode.Blackhole); break;
                    case 1: proxy.CutDirection(Direction.Upstream); break;
                    case 2: proxy.CutDirection(Direction.Downstream); break;
                    default: proxy.Heal(); break;
                }

                await Task.Yield();
            }
        })).ToArray();

        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 4096)
            {
                await client.SendAsync(payload.AsMemory(offset, 4096), SocketFlags.None);
            }
        });
        await sending.WaitAsync(Net.Patience);
        await stopToggling.CancelAsync();
        await Task.WhenAll(togglers).WaitAsync(Net.Patience);
        proxy.Heal();

        (await receiving.WaitAsync(Net.Patience)).Should().Equal(payload);
        proxy.ConnectionsReset.Should().Be(0);
    }
}
