using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Client;

/// <summary>Builds the one HTTP handler of a client, with the client certificate and trusted CA of the options.</summary>
internal static class EtcdHttpHandlerFactory
{
    public static HttpMessageHandler Create(EtcdClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (options.CertificateFile is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(options.CertificateFile, options.KeyFile);
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (options.TrustedCaFile is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(options.TrustedCaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateAgainst(authorities, certificate, errors);
        }

        return handler;
    }

    /// <summary>Trusts exactly the given CA bundle, as etcdctl's <c>--ca-file</c> does (not the system store).</summary>
    private static bool ValidateAgainst(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        return chain.Build(new X509Certificate2(certificate));
    }
}
