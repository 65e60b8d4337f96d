using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Testing;

/// <summary>
/// Picks loopback ports that are free right now, so parallel test runs never collide on fixed ports. They come from
/// below the kernel's ephemeral range: a port the kernel hands out (port 0) is also what every outgoing connection of
/// every process on the machine may take between our check and the server's bind — test assemblies running side by
/// side lost servers to "address already in use" that way. A random pick among ~20,000 ports makes two test
/// processes choosing the same one unlikely; a port given out once is not given out again by this process.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 10_000;
    private static readonly int EphemeralStart = ReadEphemeralStart();
    private static readonly HashSet<int> GivenOut = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(LowestPort, EphemeralStart);
            lock (GivenOut)
            {
                if (GivenOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                GivenOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {LowestPort} and {EphemeralStart} after 1,000 tries");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The low end of <c>net.ipv4.ip_local_port_range</c> (Linux's default is 32768).</summary>
    private static int ReadEphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var low = int.Parse(range[0], CultureInfo.InvariantCulture);
            return low > LowestPort + 5_000 ? low : 32_768;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
