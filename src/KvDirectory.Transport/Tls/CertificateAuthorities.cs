using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Transport.Tls;

/// <summary>Decides whether a remote certificate chains to exactly the trusted CA bundle (not the system store).</summary>
public static class CertificateAuthorities
{
    public static bool Trusts(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors, bool checkName)
    {
        if (certificate is null || (checkName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (certificate is X509Certificate2 remote)
        {
            return chain.Build(remote);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(copy);
    }
}
