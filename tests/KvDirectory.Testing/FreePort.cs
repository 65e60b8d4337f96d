using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KvDirectory.Testing;

/// <summary>
/// Picks loopback ports that are free right now, so parallel test runs never collide on fixed ports. They come from
/// below the kernel's ephemeral range: a port the kernel hands out (port 0) is also what every outgoing connection of
/// every process on the machine may take between our check and the server's bind — test assemblies running side by
/// side lost servers to "address already in use" that way. Test processes running side by side also pick from the same
/// range, and a port is free until its server binds it, a second or more after the pick: so each pick is reserved
/// across processes by an exclusive lock on a file named after it, held until this process exits (the kernel drops it
/// then, however the process ends). A port given out once is not given out again by this process.
/// </summary>
public static class FreePort
{
    private const int LowestPort = 10_000;
    private static readonly int EphemeralStart = ReadEphemeralStart();
    private static readonly HashSet<int> GivenOut = [];
    private static readonly List<FileStream> Reservations = [];
    private static readonly string ReservationDirectory = Path.Combine(Path.GetTempPath(), "kvdirectory-test-ports");

    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(LowestPort, EphemeralStart);
            lock (GivenOut)
            {
                if (GivenOut.Contains(port) || !IsFree(port) || !TryReserve(port))
                {
                    continue;
                }

                GivenOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {LowestPort} and {EphemeralStart} after 1,000 tries");
    }

    /// <summary>
    /// Takes <paramref name="port"/>'s lock file for this process's lifetime; false while another process holds it
    /// (true without a lock where this user may not write the lock directory).
    /// (.NET takes an exclusive <c>flock</c> for <see cref="FileShare.None"/> on Unix.)
    /// </summary>
    public static bool TryReserve(int port)
    {
        lock (Reservations)
        {
            try
            {
                Directory.CreateDirectory(ReservationDirectory);
                Reservations.Add(new FileStream(LockFileOf(port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's test run made the directory: no reservation across processes, only the bind check.
                return true;
            }
        }
    }

    /// <summary>The file whose exclusive lock reserves <paramref name="port"/> across test processes.</summary>
    public static string LockFileOf(int port) =>
        Path.Combine(ReservationDirectory, port.ToString(CultureInfo.InvariantCulture) + ".lock");

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
