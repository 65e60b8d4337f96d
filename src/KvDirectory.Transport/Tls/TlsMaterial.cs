using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Transport.Tls;

/// <summary>
/// One side's certificate and trusted CAs, loaded at start (a bad file stops the start, naming its flag) and
/// reloaded when the files change, so rotation needs no restart.
/// </summary>
public sealed class TlsMaterial
{
    private readonly WatchedFiles<X509Certificate2> _certificate;
    private readonly WatchedFiles<X509Certificate2Collection>? _authorities;

    /// <param name="reloaded">Told the flag whose file was loaded again (for the log).</param>
    public TlsMaterial(TlsFiles files, Action<string, Exception> reloadFailed, Action<string> reloaded, TimeProvider? time = null)
    {
        Files = files;
        _certificate = new WatchedFiles<X509Certificate2>(
            [files.CertFile, files.KeyFile], files.LoadCertificate, error => reloadFailed(files.CertFlag, error), time, () => reloaded(files.CertFlag));
        _authorities = files.TrustedCaFile.Length == 0
            ? null
            : new WatchedFiles<X509Certificate2Collection>(
                [files.TrustedCaFile], files.LoadAuthorities, error => reloadFailed(files.TrustedCaFlag, error), time, () => reloaded(files.TrustedCaFlag));
    }

    public TlsFiles Files { get; }

    public X509Certificate2 Certificate => _certificate.Current;

    /// <summary>
    /// Whether a remote certificate is acceptable: chained to the trusted CA file when one is given, else to the
    /// system's roots. <paramref name="checkName"/> when we dialled (the server's name must match), not for clients.
    /// </summary>
    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors, bool checkName) =>
        _authorities is { } authorities
            ? CertificateAuthorities.Trusts(authorities.Current, certificate, errors, checkName)
            : certificate is not null && (checkName ? errors : errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
}
