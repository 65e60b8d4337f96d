using System.Globalization;
using System.Net;

namespace KvDirectory.Testing.Faults;

/// <summary>
/// One <see cref="FaultProxy"/> per ordered pair of named nodes (N·(N−1) of them), so every connection
/// node A opens to node B runs through link A→B and can be faulted without touching B→A. Each node is
/// started with <c>--peer-dial-override</c> set to <see cref="DialOverrides"/>. Pure bookkeeping: the
/// faults themselves are the proxies'.
/// </summary>
public sealed class ProxyMesh : IAsyncDisposable
{
    public const string DialOverrideFlag = "--peer-dial-override";

    private readonly Dictionary<(string From, string To), FaultProxy> _links;

    private ProxyMesh(IReadOnlyList<string> names, Dictionary<(string From, string To), FaultProxy> links)
    {
        Names = names;
        _links = links;
    }

    /// <summary>The node names, in ordinal order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Every link, keyed by (dialer, target).</summary>
    public IReadOnlyDictionary<(string From, string To), FaultProxy> Links => _links;

    /// <summary>Starts the pair proxies for nodes whose real peer listeners are at <paramref name="peerEndpoints"/> (loopback only).</summary>
    public static ProxyMesh Start(IReadOnlyDictionary<string, IPEndPoint> peerEndpoints)
    {
        ArgumentNullException.ThrowIfNull(peerEndpoints);
        if (peerEndpoints.Count < 2)
        {
            throw new ArgumentException("A mesh needs at least two nodes.", nameof(peerEndpoints));
        }

        foreach (var name in peerEndpoints.Keys)
        {
            // The override flag is "name=host:port,…": these characters would make it ambiguous.
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny([',', '=', ' ']) >= 0)
            {
                throw new ArgumentException($"Node name '{name}' cannot appear in {DialOverrideFlag}.", nameof(peerEndpoints));
            }
        }

        var names = peerEndpoints.Keys.Order(StringComparer.Ordinal).ToArray();
        var links = new Dictionary<(string, string), FaultProxy>();
        try
        {
            foreach (var from in names)
            {
                foreach (var to in names.Where(to => to != from))
                {
                    links[(from, to)] = FaultProxy.Start(peerEndpoints[to]);
                }
            }
        }
        catch
        {
            foreach (var proxy in links.Values)
            {
                proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        return new ProxyMesh(names, links);
    }

    /// <summary>The proxy carrying connections that <paramref name="from"/> opens to <paramref name="to"/>.</summary>
    public FaultProxy Link(string from, string to)
    {
        RequireNode(from);
        RequireNode(to);
        if (from == to)
        {
            throw new ArgumentException($"There is no link from '{from}' to itself.", nameof(to));
        }

        return _links[(from, to)];
    }

    /// <summary>The value of <c>--peer-dial-override</c> for <paramref name="name"/>: "b=127.0.0.1:port,c=127.0.0.1:port".</summary>
    public string DialOverrides(string name)
    {
        RequireNode(name);
        return string.Join(',', Names.Where(to => to != name).Select(to =>
            string.Create(CultureInfo.InvariantCulture, $"{to}={_links[(name, to)].Endpoint}")));
    }

    /// <summary>No traffic between the groups, either way; traffic inside each group untouched.</summary>
    public void Partition(IEnumerable<string> groupA, IEnumerable<string> groupB, FaultMode mode = FaultMode.Reset)
    {
        var a = ToSet(groupA, nameof(groupA));
        var b = ToSet(groupB, nameof(groupB));
        if (a.Overlaps(b))
        {
            throw new ArgumentException($"Partition groups overlap: {string.Join(',', a.Intersect(b))}.", nameof(groupB));
        }

        foreach (var x in a)
        {
            foreach (var y in b)
            {
                _links[(x, y)].Cut(mode);
                _links[(y, x)].Cut(mode);
            }
        }
    }

    /// <summary>Cuts <paramref name="name"/> off from every other node, both ways.</summary>
    public void Isolate(string name, FaultMode mode = FaultMode.Reset)
    {
        RequireNode(name);
        Partition([name], Names.Where(other => other != name), mode);
    }

    /// <summary>
    /// An asymmetric partition: connections <paramref name="from"/> opens to <paramref name="to"/> fail,
    /// those <paramref name="to"/> opens to <paramref name="from"/> still work.
    /// </summary>
    public void CutOneWay(string from, string to, FaultMode mode = FaultMode.Reset) => Link(from, to).Cut(mode);

    public void DelayLink(string from, string to, TimeSpan delay, TimeSpan jitter = default, int seed = 0) =>
        Link(from, to).Delay(delay, jitter, seed);

    /// <summary>Back to a clean network: every cut healed and every delay removed.</summary>
    public void HealAll()
    {
        foreach (var proxy in _links.Values)
        {
            proxy.Heal();
            proxy.Delay(TimeSpan.Zero);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_links.Values.Select(proxy => proxy.DisposeAsync().AsTask()));
    }

    private HashSet<string> ToSet(IEnumerable<string> group, string parameter)
    {
        ArgumentNullException.ThrowIfNull(group, parameter);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in group)
        {
            RequireNode(name);
            set.Add(name);
        }

        return set;
    }

    private void RequireNode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_links.Keys.Any(link => link.From == name))
        {
            throw new ArgumentException($"'{name}' is not a node of this mesh ({string.Join(',', Names)}).", nameof(name));
        }
    }
}
