using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Cluster.Tests.Faults;

/// <summary>A loopback target that hands each accepted socket to the test, so the target side can send unprompted.</summary>
internal sealed class RawServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];

    public RawServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>The next connection the proxy opens to this target (not yet awaited: tests check it is held).</summary>
    public async Task<Socket> AcceptAsync()
    {
        var socket = await _listener.AcceptAsync();
        lock (_accepted)
        {
            _accepted.Add(socket);
        }

        return socket;
    }

    public void Dispose()
    {
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }
    }
}
