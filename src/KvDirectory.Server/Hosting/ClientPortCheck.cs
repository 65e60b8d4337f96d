using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Hosting;

/// <summary>
/// Tries each <c>--listen-client-urls</c> address before the host starts: Kestrel's own bind failure surfaces as the
/// host's start-up error with a stack trace, where a taken port deserves one line naming the flag (as the peer port
/// gets). Addresses by host name other than localhost are left to Kestrel.
/// </summary>
internal static class ClientPortCheck
{
    public static void ThrowIfTaken(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            var address = BindingAddress.Parse(url);
            if (address.Port == 0 || ToIpAddress(address.Host) is not { } ip)
            {
                continue;
            }

            using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel binds: a port left in TIME_WAIT by a previous run is free.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                socket.Bind(new IPEndPoint(ip, address.Port));
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
            {
                throw new ClientListenException(url, error.Message, error);
            }
        }
    }

    private static IPAddress? ToIpAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "+" => IPAddress.Any,
        _ => IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : null,
    };
}

/// <summary>A client URL the server cannot listen on; the start stops with this message.</summary>
public sealed class ClientListenException(string url, string reason, Exception inner)
    : Exception($"cannot listen for clients on {url}: {reason}; check --listen-client-urls (is another member or etcd using the port?)", inner);
