using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KvDirectory.Cluster.Tests.Faults;

/// <summary>Socket steps with timeouts, so a broken proxy fails a test instead of hanging it.</summary>
internal static class Net
{
    /// <summary>Long enough for a loaded CI machine; a passing test never waits for it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a test watches for bytes that must not arrive. A negative can only be observed over a
    /// window; the positive half of each such test (the bytes arrive after Heal) proves the window was real.
    /// </summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint).WaitAsync(Patience);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// How a fresh connection to <paramref name="endpoint"/> ends. A proxy that accepts then resets can make
    /// either the connect itself or the first receive fail, depending on when the RST overtakes the
    /// connect's completion; a dialer must treat both the same.
    /// </summary>
    public static async Task<SocketError> ConnectAndReceiveErrorAsync(IPEndPoint endpoint)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(endpoint);
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }

        using (socket)
        {
            return await socket.ReceiveErrorAsync();
        }
    }

    public static async Task SendAsync(this Socket socket, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None).AsTask().WaitAsync(Patience);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (not awaited with a timeout: callers decide).</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(this Socket socket, int count)
    {
        var buffer = new byte[count];
        var received = 0;
        while (received < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
            if (read == 0)
            {
                throw new EndOfStreamException($"Connection closed after {received} of {count} bytes.");
            }

            received += read;
        }

        return buffer;
    }

    public static async Task<string> ReceiveTextAsync(this Socket socket, int length) =>
        Encoding.ASCII.GetString(await socket.ReceiveExactlyAsync(length).WaitAsync(Patience));

    public static async Task<string> EchoAsync(this Socket socket, string text)
    {
        await socket.SendAsync(text);
        return await socket.ReceiveTextAsync(text.Length);
    }

    /// <summary>True if <paramref name="pending"/> is still running after the quiet window.</summary>
    public static async Task<bool> StaysPendingAsync(this Task pending)
    {
        var winner = await Task.WhenAny(pending, Task.Delay(Quiet));
        return winner != pending;
    }

    /// <summary>The socket error a receive ends with; Success if it returned data or end of stream.</summary>
    public static async Task<SocketError> ReceiveErrorAsync(this Socket socket)
    {
        try
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Patience);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    public static async Task<SocketError> ReceiveErrorAsync(this Task<int> pendingReceive)
    {
        try
        {
            await pendingReceive.WaitAsync(Patience);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
