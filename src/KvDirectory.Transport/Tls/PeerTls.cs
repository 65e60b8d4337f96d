using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Transport.Tls;

/// <summary>
/// The peer port's TLS (<c>--peer-cert-file</c> …): every peer connection, dialled or accepted, becomes an SslStream.
/// With <c>--peer-client-cert-auth</c> (or <c>--peer-trusted-ca-file</c>, as etcd) a dialling member must present a
/// certificate from the trusted CA, so a member without one can neither join nor send Raft messages; and, as etcd, a
/// certificate naming IP or DNS SANs must come from an address they cover (<see cref="PeerCertificateSans"/>). A dialled
/// member's certificate must name the host we dialled.
/// </summary>
public static class PeerTls
{
    /// <summary>The <see cref="PeerTransportOptions.WrapStream"/> for this material; <paramref name="sans"/> resolves names with DNS unless given.</summary>
    public static Func<NetworkStream, string?, CancellationToken, ValueTask<Stream>> Wrapper(TlsMaterial material, PeerCertificateSans? sans = null)
    {
        sans ??= new PeerCertificateSans(PeerCertificateSans.Dns);
        return async (stream, dialledHost, cancellationToken) =>
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                if (dialledHost is not null)
                {
                    await ssl.AuthenticateAsClientAsync(ClientOptions(material, dialledHost), cancellationToken);
                }
                else
                {
                    await ssl.AuthenticateAsServerAsync(ServerOptions(material), cancellationToken);
                    if (material.Files.RequiresClientCertificate && ssl.RemoteCertificate is X509Certificate2 certificate
                        && stream.Socket.RemoteEndPoint is IPEndPoint remote
                        && await sans.ProblemAsync(certificate, remote.Address, cancellationToken) is { } problem)
                    {
                        throw new PeerCertificateRejectedException($"peer certificate {certificate.Subject} refused: {problem}");
                    }
                }
            }
            catch (AuthenticationException error)
            {
                await ssl.DisposeAsync();
                // The transport treats an IOException as a failed connection: logged, counted, redialled.
                throw new IOException($"peer TLS handshake failed: {error.Message}", error);
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }

            return ssl;
        };
    }

    private static SslClientAuthenticationOptions ClientOptions(TlsMaterial material, string host) => new()
    {
        TargetHost = host,
        ClientCertificates = [material.Certificate],
        LocalCertificateSelectionCallback = (_, _, _, _, _) => material.Certificate,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => material.Accepts(certificate, errors, checkName: true),
    };

    private static SslServerAuthenticationOptions ServerOptions(TlsMaterial material) => new()
    {
        ServerCertificateSelectionCallback = (_, _) => material.Certificate,
        ClientCertificateRequired = material.Files.RequiresClientCertificate,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            !material.Files.RequiresClientCertificate || material.Accepts(certificate, errors, checkName: false),
    };
}
