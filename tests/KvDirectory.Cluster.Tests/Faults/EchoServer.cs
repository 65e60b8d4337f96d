using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KvDirectory.Cluster.Tests.Faults;

/// <summary>
/// A loopback target that echoes every byte back, optionally after greeting each connection with its
/// name so a test can tell which target a proxy really reached.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly byte[] _greeting;
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;

    public EchoServer(string greeting = "")
    {
        _greeting = Encoding.ASCII.GetBytes(greeting);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _acceptLoop;
        Task[] connections;
        lock (_lock)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _sockets.Add(socket);
                _connections.Add(EchoAsync(socket));
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[8192];
        try
        {
            if (_greeting.Length > 0)
            {
                await socket.SendAsync(_greeting, SocketFlags.None);
            }

            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The proxy reset the connection: that is what several tests are provoking.
        }
    }
}
