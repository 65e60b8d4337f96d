using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace KvDirectory.Transport.Tls;

/// <summary>
/// etcd's check of an inbound peer's client certificate: when it names IP or DNS subject alternative names, the
/// connection must come from an address they cover: an IP SAN equal to the remote address, or a DNS SAN that the remote
/// address resolves back to (a <c>*.</c> wildcard matches by suffix there) or that resolves forward to it. A certificate
/// naming neither is accepted from anywhere, as in etcd.
/// </summary>
public sealed class PeerCertificateSans(PeerCertificateSans.Resolver resolver)
{
    /// <summary>The name lookups, a seam so tests decide what a name resolves to.</summary>
    public sealed record Resolver(
        Func<IPAddress, CancellationToken, Task<IReadOnlyList<string>>> ReverseAsync,
        Func<string, CancellationToken, Task<IReadOnlyList<IPAddress>>> ForwardAsync);

    public static Resolver Dns { get; } = new(
        async (address, token) =>
        {
            var entry = await System.Net.Dns.GetHostEntryAsync(address.ToString(), token);
            return [entry.HostName, .. entry.Aliases];
        },
        async (name, token) => await System.Net.Dns.GetHostAddressesAsync(name, token));

    /// <summary>Why <paramref name="certificate"/> may not connect from <paramref name="remote"/>, or null when it may.</summary>
    public async Task<string?> ProblemAsync(X509Certificate2 certificate, IPAddress remote, CancellationToken cancellationToken)
    {
        var (ips, names) = Read(certificate);
        if (ips.Count == 0 && names.Count == 0)
        {
            return null;
        }

        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        if (ips.Any(ip => ip.Equals(remote)))
        {
            return null;
        }

        if (names.Count == 0)
        {
            return $"{remote} is not among the certificate's IP SANs [{string.Join(", ", ips)}]";
        }

        var failure = await CoveredByNamesAsync(names, remote, cancellationToken);
        return failure is null ? null
            : $"{remote} does not match the certificate's " + (ips.Count > 0 ? $"IP SANs [{string.Join(", ", ips)}] or " : "")
                + $"DNS SANs [{string.Join(", ", names)}]" + (failure.Length > 0 ? $" ({failure})" : "");
    }

    /// <summary>Null when a name covers the address, else the last lookup error (empty when the lookups just disagreed).</summary>
    private async Task<string?> CoveredByNamesAsync(IReadOnlyList<string> names, IPAddress remote, CancellationToken cancellationToken)
    {
        var wildcards = names.Where(n => n.StartsWith("*.", StringComparison.Ordinal)).Select(n => n[1..]).ToList();
        var exact = names.Where(n => !n.StartsWith("*.", StringComparison.Ordinal)).ToList();
        var error = string.Empty;
        try
        {
            foreach (var found in await resolver.ReverseAsync(remote, cancellationToken))
            {
                var name = found.TrimEnd('.');
                if (wildcards.Any(w => name.EndsWith(w, StringComparison.Ordinal)) || exact.Contains(name, StringComparer.Ordinal))
                {
                    return null;
                }
            }
        }
        catch (SocketException lookup)
        {
            error = lookup.Message;
        }

        foreach (var name in exact)
        {
            try
            {
                var addresses = await resolver.ForwardAsync(name, cancellationToken);
                if (addresses.Any(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(remote)))
                {
                    return null;
                }
            }
            catch (SocketException lookup)
            {
                error = lookup.Message;
            }
        }

        return error;
    }

    private static (IReadOnlyList<IPAddress> Ips, IReadOnlyList<string> Names) Read(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == "2.5.29.17")
            {
                var sans = extension as X509SubjectAlternativeNameExtension ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
                return ([.. sans.EnumerateIPAddresses()], [.. sans.EnumerateDnsNames()]);
            }
        }

        return ([], []);
    }
}
