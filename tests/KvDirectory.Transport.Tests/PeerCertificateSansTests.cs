using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KvDirectory.Transport.Tls;

namespace KvDirectory.Transport.Tests;

/// <summary>
/// etcd's rule for an inbound peer's certificate: its IP or DNS SANs must cover the address it connects from. Names are
/// resolved by a table the test owns (reverse: address → names; forward: name → addresses).
/// </summary>
public sealed class PeerCertificateSansTests
{
    private static readonly IPAddress From = IPAddress.Parse("10.0.0.5");

    private static readonly Dictionary<string, string[]> Reverse = new()
    {
        ["10.0.0.5"] = ["node5.cluster.internal."],
        ["10.0.0.6"] = [],
    };

    private static readonly Dictionary<string, string[]> Forward = new()
    {
        ["peer-five"] = ["10.0.0.5"],
        ["peer-six"] = ["10.0.0.6"],
    };

    public static TheoryData<string, string[], string[], string, bool> Cases => new()
    {
        { "no SANs at all: accepted from anywhere", [], [], "10.0.0.5", true },
        { "an IP SAN equal to the remote address", ["10.0.0.9", "10.0.0.5"], [], "10.0.0.5", true },
        { "an IPv4-mapped remote compares as IPv4", ["10.0.0.5"], [], "::ffff:10.0.0.5", true },
        { "IP SANs only, none the remote address", ["10.0.0.6"], [], "10.0.0.5", false },
        { "a DNS SAN resolving forward to the remote address", [], ["peer-five"], "10.0.0.5", true },
        { "a DNS SAN resolving elsewhere", [], ["peer-six"], "10.0.0.5", false },
        { "the remote address's reverse name", [], ["node5.cluster.internal"], "10.0.0.5", true },
        { "a wildcard matching the reverse name", [], ["*.cluster.internal"], "10.0.0.5", true },
        { "a wildcard matching no reverse name", [], ["*.other.internal"], "10.0.0.5", false },
        { "a wrong IP SAN, then a DNS SAN that covers it", ["10.0.0.6"], ["peer-five"], "10.0.0.5", true },
        { "a wrong IP SAN and a wrong DNS SAN", ["10.0.0.6"], ["peer-six"], "10.0.0.5", false },
        { "a name that does not resolve", [], ["unknown-peer"], "10.0.0.5", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_certificate_is_accepted_only_from_an_address_its_sans_cover(string why, string[] ips, string[] names, string remote, bool accepted)
    {
        using var certificate = Certificate(ips, names);

        var problem = await new PeerCertificateSans(TableResolver()).ProblemAsync(certificate, IPAddress.Parse(remote), CancellationToken.None);

        (problem is null).Should().Be(accepted, $"{why} (problem: {problem})");
    }

    [Fact]
    public async Task The_refusal_names_the_address_and_the_sans_and_a_failed_lookup()
    {
        using var certificate = Certificate(["10.0.0.6"], ["unknown-peer"]);

        var problem = await new PeerCertificateSans(TableResolver()).ProblemAsync(certificate, From, CancellationToken.None);

        problem.Should().Contain("10.0.0.5").And.Contain("10.0.0.6").And.Contain("unknown-peer").And.Contain("no such name");
    }

    private static PeerCertificateSans.Resolver TableResolver() => new(
        (address, _) => Task.FromResult<IReadOnlyList<string>>(Reverse.GetValueOrDefault(address.ToString()) ?? []),
        (name, _) => Forward.TryGetValue(name, out var addresses)
            ? Task.FromResult<IReadOnlyList<IPAddress>>([.. addresses.Select(IPAddress.Parse)])
            : Task.FromException<IReadOnlyList<IPAddress>>(new SocketException((int)SocketError.HostNotFound, "no such name")));

    private static X509Certificate2 Certificate(string[] ips, string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=peer", key, HashAlgorithmName.SHA256);
        if (ips.Length > 0 || names.Length > 0)
        {
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var ip in ips)
            {
                sans.AddIpAddress(IPAddress.Parse(ip));
            }

            foreach (var name in names)
            {
                sans.AddDnsName(name);
            }

            request.CertificateExtensions.Add(sans.Build());
        }

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
