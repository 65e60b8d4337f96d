using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// Listening ports for membership members, drawn below the kernel's ephemeral range. A port from
/// <see cref="KvDirectory.Testing.FreePort"/> is free when asked but is an ephemeral one: until the member binds it,
/// any outgoing connection on the machine (the write load, peers dialing, parallel builds) can take it as its local
/// port, and the member then dies with "address already in use" (seen once in a few dozen etcd bootstraps).
/// </summary>
public static class MemberPorts
{
    private const int Lowest = 20_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int Highest = EphemeralRangeStart() - 1;

    public static int Next()
    {
        if (Highest - Lowest < 1_000)
        {
            return KvDirectory.Testing.FreePort.Next();
        }

        lock (HandedOut)
        {
            while (true)
            {
                var port = Random.Shared.Next(Lowest, Highest + 1);
                if (HandedOut.Add(port) && IsFree(port))
                {
                    return port;
                }
            }
        }
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

    /// <summary>The first port of <c>ip_local_port_range</c> (Linux); below it only explicit binds take ports.</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return Math.Min(int.Parse(range[0], CultureInfo.InvariantCulture), 32_768);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
