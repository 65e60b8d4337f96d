using System.Globalization;
using System.Text.RegularExpressions;
using KvDirectory.Testing;

namespace KvDirectory.Deployment.Tests.Compose;

/// <summary>
/// Turns the addresses of a compose file into loopback ones: each service gets a free client and peer port,
/// <c>http://kv1:2380</c> becomes kv1's peer port, <c>0.0.0.0</c> listeners become the service's own ports, a published
/// <c>localhost:12379</c> becomes the client port of the service that publishes it, and <c>/data</c> a temp dir.
/// An address it cannot map fails the test: nothing in the compose file goes unchecked.
/// </summary>
public sealed partial class LoopbackMapping
{
    private readonly Dictionary<string, (int Client, int Peer)> _ports = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _published = [];

    public LoopbackMapping(IEnumerable<ComposeService> services)
    {
        foreach (var service in services)
        {
            _ports[service.Name] = (FreePort.Next(), FreePort.Next());
            foreach (var (host, container) in service.Ports)
            {
                container.Should().Be(2379, "only client ports are published");
                _published[host] = service.Name;
            }
        }
    }

    public string ClientUrl(string service) => $"http://127.0.0.1:{_ports[service].Client.ToString(CultureInfo.InvariantCulture)}";

    public string Map(string service, string text, string dataDir) =>
        Url().Replace(text, match =>
        {
            var host = match.Groups[1].Value;
            var port = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            var target = host switch
            {
                "0.0.0.0" or "localhost" or "127.0.0.1" when port is 2379 or 2380 => service,
                "localhost" or "127.0.0.1" when _published.TryGetValue(port, out var publisher) => publisher,
                _ when _ports.ContainsKey(host) => host,
                _ => throw new InvalidOperationException($"{service}: no loopback mapping for {match.Value}"),
            };
            var mapped = port == 2380 ? _ports[target].Peer : _ports[target].Client;
            return $"http://127.0.0.1:{mapped.ToString(CultureInfo.InvariantCulture)}";
        }) switch
        {
            "/data" => dataDir,
            var other when other.EndsWith("=/data", StringComparison.Ordinal) => other[..^"/data".Length] + dataDir,
            var other => other,
        };

    [GeneratedRegex(@"http://([A-Za-z0-9.\-]+):(\d+)")]
    private static partial Regex Url();
}
