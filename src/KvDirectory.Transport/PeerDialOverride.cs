using System.Net;

namespace KvDirectory.Transport;

/// <summary>
/// Testing flag <c>--peer-dial-override name=host:port,…</c>: when dialing member <c>name</c>, connect to that
/// address instead of its peer URL (partition tests put a fault-injecting proxy there). Member ids still derive
/// from the real peer URLs; nothing else changes.
/// </summary>
public static class PeerDialOverride
{
    public static IReadOnlyDictionary<string, DnsEndPoint> Parse(string value)
    {
        var result = new Dictionary<string, DnsEndPoint>(StringComparer.Ordinal);
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !TryParseHostPort(entry[(equals + 1)..], out var endPoint))
            {
                throw new InvalidOperationException($"--peer-dial-override entry '{entry}' is not of the form name=host:port");
            }

            result[entry[..equals]] = endPoint;
        }

        return result;
    }

    /// <summary>The host and port of a peer URL such as <c>http://127.0.0.1:2380</c>.</summary>
    public static DnsEndPoint FromUrl(string url)
    {
        var uri = new Uri(url);
        return new DnsEndPoint(uri.Host, uri.Port);
    }

    private static bool TryParseHostPort(string value, out DnsEndPoint endPoint)
    {
        endPoint = null!;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
        {
            return false;
        }

        endPoint = new DnsEndPoint(value[..colon].Trim('[', ']'), port);
        return true;
    }
}
