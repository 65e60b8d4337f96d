using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>The PEM files of one issued certificate, as the servers' flags and kvctl take them.</summary>
public sealed record CertFiles(string CertFile, string KeyFile, string SerialNumber);

/// <summary>
/// A certificate authority made at test time (ECDSA P-256, no openssl): it writes its own certificate as a CA
/// bundle and issues certificates (for 127.0.0.1/localhost unless told) usable as server and client (etcd's peers are both).
/// </summary>
public sealed class TestCa : IDisposable
{
    private readonly X509Certificate2 _authority;
    private readonly string _directory;
    private int _issued;

    public TestCa(string directory, string name)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Path.Combine(directory, $"{name}-ca.pem");
        File.WriteAllText(CaFile, _authority.ExportCertificatePem());
    }

    public string CaFile { get; }

    /// <summary>
    /// A new certificate with this common name (a fresh serial each time), written to new files; its SANs are
    /// 127.0.0.1 and localhost unless <paramref name="ipSans"/> or <paramref name="dnsSans"/> say otherwise.
    /// </summary>
    public CertFiles Issue(string commonName, IPAddress[]? ipSans = null, string[]? dnsSans = null)
    {
        var number = Interlocked.Increment(ref _issued);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        var custom = ipSans is not null || dnsSans is not null;
        foreach (var ip in custom ? ipSans ?? [] : [IPAddress.Loopback])
        {
            names.AddIpAddress(ip);
        }

        foreach (var name in custom ? dnsSans ?? [] : ["localhost"])
        {
            names.AddDnsName(name);
        }

        if (!custom || ipSans?.Length > 0 || dnsSans?.Length > 0)
        {
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        var files = new CertFiles(
            Path.Combine(_directory, $"{commonName}-{number}.pem"),
            Path.Combine(_directory, $"{commonName}-{number}-key.pem"),
            certificate.SerialNumber);
        File.WriteAllText(files.CertFile, certificate.ExportCertificatePem());
        File.WriteAllText(files.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return files;
    }

    /// <summary>Puts <paramref name="replacement"/>'s content in place of <paramref name="target"/>'s files (each replaced atomically), as a rotation does.</summary>
    public static void Rotate(CertFiles target, CertFiles replacement)
    {
        ReplaceAtomically(replacement.KeyFile, target.KeyFile);
        ReplaceAtomically(replacement.CertFile, target.CertFile);
    }

    public void Dispose() => _authority.Dispose();

    private static void ReplaceAtomically(string source, string target)
    {
        var staging = target + ".new";
        File.Copy(source, staging, overwrite: true);
        File.Move(staging, target, overwrite: true);
    }
}
