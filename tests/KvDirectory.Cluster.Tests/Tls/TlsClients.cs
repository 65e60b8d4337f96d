using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KvDirectory.Transport.Tls;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>HTTP clients and raw TLS connections with a given client certificate, trusting exactly one CA file.</summary>
public static class TlsClients
{
    /// <summary>A fresh client (its own connections, so every request pool starts with a new handshake).</summary>
    public static HttpClient Http(string caFile, CertFiles? clientCertificate)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(clientCertificate.CertFile, clientCertificate.KeyFile)];
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(authorities, certificate, errors);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The serial number of the certificate a TLS port presents to a new connection right now.</summary>
    public static async Task<string> PresentedSerialAsync(Uri url, string caFile, CertFiles clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = url.Host,
            ClientCertificates = [X509Certificate2.CreateFromPemFile(clientCertificate.CertFile, clientCertificate.KeyFile)],
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(authorities, certificate, errors),
        });
        return ssl.RemoteCertificate!.GetSerialNumberString();
    }

    private static bool Trusts(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors) =>
        CertificateAuthorities.Trusts(authorities, certificate, errors, checkName: true);
}
