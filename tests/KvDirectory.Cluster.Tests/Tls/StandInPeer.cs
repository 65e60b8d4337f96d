using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// A peer port that only does TLS: it presents the given certificate to whoever dials it (asking for theirs) and counts
/// the handshakes that completed and those the dialler broke off, then hangs up. Stands in for a member whose certificate
/// the cluster's members must judge when they dial it.
/// </summary>
public sealed class StandInPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _completed;
    private int _refused;

    public StandInPeer(CertFiles certificate)
    {
        _certificate = X509Certificate2.CreateFromPemFile(certificate.CertFile, certificate.KeyFile);
        _listener.Start();
        PeerUrl = new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri PeerUrl { get; }

    public int Completed => Volatile.Read(ref _completed);

    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = HandshakeAsync(client);
            }
        }
        // "Not listening" (InvalidOperationException): disposal stopped the listener between two accepts.
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException
            || (error is InvalidOperationException && _stop.IsCancellationRequested))
        {
        }
    }

    private async Task HandshakeAsync(TcpClient client)
    {
        using var _ = client;
        await using var ssl = new SslStream(client.GetStream());
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, timeout.Token);
            Interlocked.Increment(ref _completed);
        }
        catch (Exception error) when (error is System.Security.Authentication.AuthenticationException or IOException)
        {
            Interlocked.Increment(ref _refused);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _certificate.Dispose();
        _stop.Dispose();
    }
}
