using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Transport.Tls;

/// <summary>The files of one side's TLS (client or peer port), as the flags name them; the flag names go into errors.</summary>
public sealed record TlsFiles(
    string CertFile,
    string KeyFile,
    string TrustedCaFile,
    bool ClientCertAuth,
    string CertFlag,
    string KeyFlag,
    string TrustedCaFlag)
{
    public bool HasCertificate => CertFile.Length > 0 || KeyFile.Length > 0;

    /// <summary>etcd asks for (and verifies) a client certificate when either flag is given.</summary>
    public bool RequiresClientCertificate => ClientCertAuth || TrustedCaFile.Length > 0;

    /// <summary>Reads the certificate and its key (PEM), naming the flag of whichever file is at fault.</summary>
    public X509Certificate2 LoadCertificate()
    {
        if (CertFile.Length == 0)
        {
            throw new CertificateFileException(CertFlag, "(empty)", $"is required together with {KeyFlag}");
        }

        if (KeyFile.Length == 0)
        {
            throw new CertificateFileException(KeyFlag, "(empty)", $"is required together with {CertFlag}");
        }

        var certificatePem = ReadPem(CertFlag, CertFile);
        var keyPem = ReadPem(KeyFlag, KeyFile);
        try
        {
            var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            if (!certificate.HasPrivateKey)
            {
                throw new CertificateFileException(KeyFlag, KeyFile, "holds no private key for the certificate");
            }

            // An ephemeral PEM key works for TLS on Linux; a PKCS#12 round trip keeps it usable on every platform.
            return OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null) : certificate;
        }
        catch (CryptographicException error)
        {
            throw new CertificateFileException(CertFlag, CertFile, $"the certificate and the key in {KeyFile} do not form a usable pair ({error.Message})", error);
        }
    }

    /// <summary>The CA bundle (PEM, one or more certificates) that client or peer certificates must chain to.</summary>
    public X509Certificate2Collection LoadAuthorities()
    {
        var pem = ReadPem(TrustedCaFlag, TrustedCaFile);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException error)
        {
            throw new CertificateFileException(TrustedCaFlag, TrustedCaFile, $"is not a PEM certificate bundle ({error.Message})", error);
        }

        return authorities.Count > 0
            ? authorities
            : throw new CertificateFileException(TrustedCaFlag, TrustedCaFile, "holds no certificate");
    }

    private static string ReadPem(string flag, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CertificateFileException(flag, path, $"cannot be read ({error.Message})", error);
        }
    }
}
