using System.Net.Sockets;

namespace KvDirectory.Protocol;

/// <summary>Describes transport failures the way Go's net package does, since etcdctl users grep for those words.</summary>
public static class GoErrorText
{
    public static string Describe(Exception exception, Uri endpoint)
    {
        var socket = FindSocketException(exception);
        var address = $"{endpoint.Host}:{endpoint.Port}";
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"dial tcp {address}: connect: connection refused",
            SocketError.ConnectionReset => $"read tcp {address}: read: connection reset by peer",
            SocketError.HostNotFound or SocketError.NoData => $"dial tcp: lookup {endpoint.Host}: no such host",
            SocketError.TimedOut => $"dial tcp {address}: i/o timeout",
            _ => exception.Message,
        };
    }

    /// <summary>
    /// True only when the connection itself could not be made, so the server cannot have seen the request: the one case
    /// in which a non-idempotent call may safely go to another endpoint.
    /// </summary>
    public static bool NeverConnected(HttpRequestException exception) =>
        exception.HttpRequestError == HttpRequestError.NameResolutionError ||
        FindSocketException(exception)?.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData
            or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable;

    private static SocketException? FindSocketException(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
