using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace KvDirectory.Testing.Faults;

/// <summary>
/// One accepted connection and its upstream twin, pumped both ways. Each direction is a reader and a
/// writer joined by a small bounded channel, so latency delays chunks without throttling throughput
/// and a stalled direction pushes back on its sender the way a full TCP window does.
/// </summary>
internal sealed class ProxiedConnection
{
    // Enough in flight to keep a delayed link busy; beyond it the sender blocks, as with a real window.
    private const int ChunksInFlight = 64;

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly Socket _upstream;
    private readonly CancellationTokenSource _stop;
    private int _aborted;

    public ProxiedConnection(FaultProxy proxy, Socket client, CancellationToken proxyDisposing)
    {
        _proxy = proxy;
        _client = client;
        _upstream = new Socket(proxy.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _stop = CancellationTokenSource.CreateLinkedTokenSource(proxyDisposing);
    }

    /// <summary>Sends RST rather than FIN: a linger of zero makes close abortive.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: there is nothing left to reset.
        }

        socket.Dispose();
    }

    /// <summary>Resets both ends and stops the pumps. True only for the call that did it, false once finished.</summary>
    public bool Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return false;
        }

        // Reset before cancelling: cancellation lets RunAsync reach its finally, whose plain Dispose would
        // otherwise win the race and close with FIN, which the ends would read as a clean shutdown.
        Reset(_client);
        Reset(_upstream);
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already finished on its own.
        }

        return true;
    }

    public async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            // Under a blackhole cut the dialer's connection is held, not carried, until the link heals.
            await _proxy.LinkGate.WaitOpenAsync(token);
            await _upstream.ConnectAsync(_proxy.Target, token);
            var up = PumpAsync(_client, _upstream, Direction.Upstream, token);
            var down = PumpAsync(_upstream, _client, Direction.Downstream, token);
            // Each pump aborts the whole connection on failure, so awaiting both cannot hang on a half-dead pair.
            await Task.WhenAll(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Target down, proxy disposed or link reset: the dialer must see a failure, not a silent hang.
            Abort();
        }
        finally
        {
            // Marked finished so a later Abort is a no-op; if an Abort is already under way it owns the
            // sockets, and a plain Dispose here could close one of them with FIN before it is reset.
            if (Interlocked.CompareExchange(ref _aborted, 2, 0) == 0)
            {
                _client.Dispose();
                _upstream.Dispose();
            }

            _stop.Dispose();
        }
    }

    /// <summary>True when the direction ended cleanly (EOF carried across); false on any failure.</summary>
    private async Task<bool> PumpAsync(Socket from, Socket to, Direction direction, CancellationToken token)
    {
        var channel = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(ChunksInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var reading = ReadAsync(from, channel.Writer, direction, token);
        var writing = WriteAsync(to, channel.Reader, direction, token);
        var ok = await reading & await writing;
        while (channel.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        return ok;
    }

    private async Task<bool> ReadAsync(Socket from, ChannelWriter<Chunk> chunks, Direction direction, CancellationToken token)
    {
        var gate = _proxy.GateFor(direction);
        long previousDue = 0;
        try
        {
            while (true)
            {
                // Stop pulling while cut, so the sender's kernel buffers fill just as behind a real partition.
                await _proxy.LinkGate.WaitOpenAsync(token);
                await gate.WaitOpenAsync(token);
                var buffer = ArrayPool<byte>.Shared.Rent(FaultProxy.ChunkSize);
                int read;
                try
                {
                    read = await from.ReceiveAsync(buffer, SocketFlags.None, token);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    chunks.TryComplete();
                    return true;
                }

                previousDue = _proxy.DueTimestamp(previousDue);
                if (!chunks.TryWrite(new Chunk(buffer, read, previousDue)))
                {
                    try
                    {
                        await chunks.WriteAsync(new Chunk(buffer, read, previousDue), token);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            chunks.TryComplete(e);
            // A failure either way ends the connection both ways, as a reset on a real socket does.
            Abort();
            return false;
        }
    }

    private async Task<bool> WriteAsync(Socket to, ChannelReader<Chunk> chunks, Direction direction, CancellationToken token)
    {
        var gate = _proxy.GateFor(direction);
        try
        {
            await foreach (var chunk in chunks.ReadAllAsync(token))
            {
                try
                {
                    await WaitUntilAsync(chunk.Due, token);
                    // Checked after the delay too: a cut that starts while a chunk is in flight must still hold it.
                    await _proxy.LinkGate.WaitOpenAsync(token);
                    await gate.WaitOpenAsync(token);
                    // Counted before the send, so anyone who has seen the bytes arrive also sees them counted.
                    _proxy.CountForwarded(direction, chunk.Length);
                    var sent = 0;
                    while (sent < chunk.Length)
                    {
                        sent += await to.SendAsync(chunk.Buffer.AsMemory(sent, chunk.Length - sent), SocketFlags.None, token);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }
            }

            // The sender finished: pass its FIN on, keeping the other direction open (half-close).
            to.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            Abort();
            return false;
        }
    }

    private static async Task WaitUntilAsync(long dueTimestamp, CancellationToken token)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Rounded up: Task.Delay truncates to whole milliseconds and must never wake before the due time.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), token);
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, long Due);
}
