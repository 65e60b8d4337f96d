using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Testing.Faults;

/// <summary>
/// A loopback TCP proxy in front of one peer connection path, whose faults the test switches on and off
/// while real traffic flows: <see cref="Cut"/> (reset or blackhole), <see cref="CutDirection"/> (one-way
/// loss), <see cref="Delay"/> (latency with seeded jitter). Every control is thread-safe and acts on live
/// connections at once. Each accepted connection gets its own upstream connection to the target.
/// </summary>
/// <remarks>
/// There is deliberately no packet-drop probability: this is a byte stream, and dropping bytes out of it
/// would corrupt the framing rather than model loss (TCP retransmits lost segments; what the ends observe
/// is delay, stall or reset — the three faults offered here).
/// </remarks>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly Socket _listener;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _lock = new();
    private readonly HashSet<ProxiedConnection> _connections = [];
    private readonly List<Task> _connectionTasks = [];
    private readonly LinkGate _link = new();
    private readonly LinkGate _upstream = new();
    private readonly LinkGate _downstream = new();
    private readonly Task _acceptLoop;

    private FaultMode? _cutMode;
    private Latency _latency = Latency.None;
    private Random _jitterRandom = new(0);
    private long _bytesUpstream;
    private long _bytesDownstream;
    private long _connectionsAccepted;
    private long _connectionsReset;
    private bool _disposed;

    private FaultProxy(IPEndPoint target, Socket listener)
    {
        Target = target;
        _listener = listener;
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The address the nodes dial instead of the target (loopback, port chosen by the OS).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The real peer endpoint behind the proxy.</summary>
    public IPEndPoint Target { get; }

    /// <summary>Total bytes handed to the target (counted just before they are written).</summary>
    public long BytesUpstream => Interlocked.Read(ref _bytesUpstream);

    /// <summary>Total bytes handed back to the dialing side (counted just before they are written).</summary>
    public long BytesDownstream => Interlocked.Read(ref _bytesDownstream);

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Connections the proxy reset: live ones at a <see cref="FaultMode.Reset"/> cut and those accepted while it lasts.</summary>
    public long ConnectionsReset => Interlocked.Read(ref _connectionsReset);

    public int ActiveConnections
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>The current cut, or null while the link carries traffic both ways (one-way cuts aside).</summary>
    public FaultMode? CutMode
    {
        get
        {
            lock (_lock)
            {
                return _cutMode;
            }
        }
    }

    public bool IsCut(Direction direction) => !_link.IsOpen || !GateFor(direction).IsOpen;

    public Latency Latency => Volatile.Read(ref _latency);

    internal LinkGate LinkGate => _link;

    /// <summary>Starts a proxy on a free loopback port forwarding to <paramref name="target"/>, which must be loopback.</summary>
    public static FaultProxy Start(IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(target);
        // The proxy resets and stalls connections on command; aimed anywhere but this machine it would be a tool for harm.
        if (!IPAddress.IsLoopback(target.Address))
        {
            throw new ArgumentException($"FaultProxy only targets loopback addresses, not {target}.", nameof(target));
        }

        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new FaultProxy(target, listener);
    }

    /// <summary>
    /// Partitions the link both ways. With <see cref="FaultMode.Reset"/> every live connection is reset
    /// before this returns; with <see cref="FaultMode.Blackhole"/> they stall.
    /// </summary>
    public void Cut(FaultMode mode = FaultMode.Reset)
    {
        ProxiedConnection[] toReset = [];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _cutMode = mode;
            _link.Close();
            if (mode == FaultMode.Reset)
            {
                toReset = [.. _connections];
            }
        }

        foreach (var connection in toReset)
        {
            if (connection.Abort())
            {
                Interlocked.Increment(ref _connectionsReset);
            }
        }
    }

    /// <summary>
    /// Stops one direction only: bytes that way wait (in order) until <see cref="Heal"/>, the other way
    /// keeps flowing. Never a reset, because a reset would end both directions.
    /// </summary>
    public void CutDirection(Direction direction)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        GateFor(direction).Close();
    }

    /// <summary>Ends every cut (both-way and one-way); held bytes and held connections proceed. Latency is kept.</summary>
    public void Heal()
    {
        lock (_lock)
        {
            _cutMode = null;
        }

        _upstream.Open();
        _downstream.Open();
        _link.Open();
    }

    /// <summary>
    /// Adds one-way latency to both directions (a round trip pays it twice), plus a uniform extra in
    /// [0, <paramref name="jitter"/>] from a generator seeded with <paramref name="seed"/>.
    /// Byte order is preserved: a chunk never overtakes an earlier one. <see cref="TimeSpan.Zero"/> removes it.
    /// </summary>
    public void Delay(TimeSpan delay, TimeSpan jitter = default, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        lock (_lock)
        {
            _jitterRandom = new Random(seed);
            Volatile.Write(ref _latency, new Latency(delay, jitter, seed));
        }
    }

    public async ValueTask DisposeAsync()
    {
        ProxiedConnection[] live;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            live = [.. _connections];
        }

        await _disposing.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;

        foreach (var connection in live)
        {
            connection.Abort();
        }

        Task[] tasks;
        lock (_lock)
        {
            tasks = [.. _connectionTasks];
        }

        await Task.WhenAll(tasks);
        _disposing.Dispose();
    }

    public override string ToString() => $"{Endpoint} -> {Target}";

    internal LinkGate GateFor(Direction direction) => direction == Direction.Upstream ? _upstream : _downstream;

    internal static int ChunkSize => BufferSize;

    /// <summary>When a chunk read now may be written, given when the previous chunk that way was due (order is kept).</summary>
    internal long DueTimestamp(long previousDue)
    {
        var latency = Latency;
        var now = Stopwatch.GetTimestamp();
        if (latency.IsNone)
        {
            return Math.Max(now, previousDue);
        }

        var extra = TimeSpan.Zero;
        if (latency.Jitter > TimeSpan.Zero)
        {
            double sample;
            lock (_lock)
            {
                sample = _jitterRandom.NextDouble();
            }

            extra = latency.Jitter * sample;
        }

        var due = now + (long)((latency.Delay + extra).TotalSeconds * Stopwatch.Frequency);
        return Math.Max(due, previousDue);
    }

    internal void CountForwarded(Direction direction, int bytes)
    {
        if (direction == Direction.Upstream)
        {
            Interlocked.Add(ref _bytesUpstream, bytes);
        }
        else
        {
            Interlocked.Add(ref _bytesDownstream, bytes);
        }
    }

    private async Task AcceptLoopAsync()
    {
        // Accepting off the caller's thread: Start returns at once and the loop lives until DisposeAsync.
        await Task.Yield();
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_disposing.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _disposing.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that vanished between SYN and accept is its own business; keep serving the others.
                continue;
            }

            Interlocked.Increment(ref _connectionsAccepted);
            client.NoDelay = true;
            ProxiedConnection? connection = null;
            lock (_lock)
            {
                // Decided under the same lock Cut takes, so a connection is either reset here or seen by Cut.
                if (!_disposed && _cutMode != FaultMode.Reset)
                {
                    connection = new ProxiedConnection(this, client, _disposing.Token);
                    _connections.Add(connection);
                }
            }

            if (connection is null)
            {
                ProxiedConnection.Reset(client);
                Interlocked.Increment(ref _connectionsReset);
                continue;
            }

            var run = RunAndForgetAsync(connection);
            lock (_lock)
            {
                _connectionTasks.Add(run);
            }
        }
    }

    private async Task RunAndForgetAsync(ProxiedConnection connection)
    {
        await connection.RunAsync();
        lock (_lock)
        {
            _connections.Remove(connection);
            _connectionTasks.RemoveAll(task => task.IsCompleted);
        }
    }
}
