using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Testing;

/// <summary>Picks loopback ports that are free right now, so parallel test runs never collide on fixed ports.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
