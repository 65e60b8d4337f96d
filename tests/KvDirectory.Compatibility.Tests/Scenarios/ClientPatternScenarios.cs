using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>The request shapes real clients send (Patroni, python-etcd, etcdctl), as they send them.</summary>
public static class ClientPatternScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("Patroni leader race: create with ttl, the loser gets 105", Put("/leader?prevExist=false", "value=node-a&ttl=1000"), Put("/leader?prevExist=false", "value=node-b&ttl=1000"), Get("/leader")),
        S("Patroni leader renewal: compareAndSwap on its own name with ttl", Put("/leader", "value=node-a&ttl=1000"), Put("/leader?prevValue=node-a", "value=node-a&ttl=1000"), Put("/leader?prevValue=node-b", "value=node-b&ttl=1000")),
        S("Patroni switchover delete with prevValue", Put("/leader", "value=node-a&ttl=1000"), Delete("/leader?prevValue=node-b"), Delete("/leader?prevValue=node-a")),
        S("Patroni recursive read of its scope with a trailing slash", Put("/leader", "value=node-a"), Put("/members/node-a", "value=conn"), Put("/config", "value=cfg"), Get("/?recursive=true")),
        S("Patroni prevIndex=0 write", Put("/initialize?prevIndex=0", "value=sys")),
        S("python-etcd write with every parameter in the body", Put("/a", "value=one&prevExist=false&ttl=1000"), Put("/a", "value=two&prevValue=one"), Put("/a", "value=three&prevIndex={i+2}")),
        S("python-etcd append with every parameter in the body", Post("/q", "value=one&ttl=1000")),
        S("python-etcd delete with dir and recursive in the query", Put("/d/a", "value=one"), Delete("/d?dir=true&recursive=true")),
        S("etcdctl get sends recursive sorted and quorum as false", Put("/a", "value=one"), Get("/a?quorum=false&recursive=false&sorted=false")),
        S("etcdctl watch after-index sends waitIndex", Put("/a", "value=one"), Put("/a", "value=two"), Get("/a?recursive=false&wait=true&waitIndex={i+2}")),
        S("etcdctl mkdir uses dir and prevExist=false", Put("/d?dir=true&prevExist=false"), Put("/d?dir=true&prevExist=false")),
        S("etcdctl rmdir uses dir=true", Put("/d?dir=true"), Delete("/d?dir=true")),
        S("GET with wait=false is a plain read", Put("/a", "value=one"), Get("/a?wait=false")),
        S("HEAD on a directory", Put("/d/a", "value=one"), Head("/d?recursive=true")),
        S("Deleting the only child keeps the directory", Put("/d/a", "value=one"), Delete("/d/a"), Get("/d")),
        S("An in-order key is gone after its delete", Post("/q", "value=one"), Delete("/q/{k+1}"), Get("/q/{k+1}"), Get("/q")),
    ];
}
