using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// A peer port that only does TLS: it presents the given certificate to whoever dials it (asking for theirs), then hangs
/// up. Stands in for a member whose certificate the cluster's members must judge when they dial it; what they decided is
/// in their logs.
/// </summary>
public sealed class StandInPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _attempts;

    public StandInPeer(CertFiles certificate)
    {
        _certificate = X509Certificate2.CreateFromPemFile(certificate.CertFile, certificate.KeyFile);
        _listener.Start();
        PeerUrl = new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri PeerUrl { get; }

    /// <summary>Connections accepted so far: how often the members tried it.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _attempts);
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
        }
        catch (Exception error) when (error is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            // The dialler refused the certificate, or gave up: either way the member's log says which.
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
