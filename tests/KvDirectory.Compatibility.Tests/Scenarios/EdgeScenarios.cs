using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Less travelled corners: parameters that are ignored, or mean something only in combination.</summary>
public static class EdgeScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("sorted=true on a file", Put("/a", "value=one"), Get("/a?sorted=true")),
        S("recursive=true on a file", Put("/a", "value=one"), Get("/a?recursive=true")),
        S("waitIndex without wait is a plain read", Put("/a", "value=one"), Get("/a?waitIndex={i+1}")),
        S("dir=false explicitly on PUT", Put("/a?dir=false", "value=one")),
        S("dir=false on DELETE of a directory", Put("/d?dir=true"), Delete("/d?dir=false")),
        S("dir=true recursive=false on a non-empty directory", Put("/d/a", "value=one"), Delete("/d?dir=true&recursive=false")),
        S("refresh=true with prevExist=false", Put("/a", "value=one&ttl=1000"), Put("/a?prevExist=false", "refresh=true&ttl=900")),
        S("refresh=false with a value is a plain set", Put("/a", "value=one&refresh=false")),
        S("prevExist=true with dir=true on a file", Put("/a", "value=one"), Put("/a?dir=true&prevExist=true")),
        S("prevExist=false on a key below a file", Put("/a", "value=one"), Put("/a/b?prevExist=false", "value=two")),
        S("HEAD on a nested missing path", Head("/a/b/c")),
        S("Unicode key and value", Put("/%D0%BA%D0%BB%D1%8E%D1%87", "value=%E2%9C%93"), Get("/%D0%BA%D0%BB%D1%8E%D1%87"), Get("?recursive=true")),
        S("Value with HTML characters", Put("/a", "value=%3Cb%3E%26%3C%2Fb%3E"), Get("/a")),
        S("Empty value in the query", Put("/a?value=", "ttl=1000"), Get("/a")),
        S("Very long key name", Put("/" + new string('k', 300), "value=one"), Get("/" + new string('k', 300))),
        S("Deep path of twenty directories", Put(string.Concat(Enumerable.Repeat("/d", 20)), "value=deep"), Get("/d?recursive=true")),
        S("POST to a key below a file", Put("/a", "value=one"), Post("/a/b", "value=two")),
        S("compareAndSwap with prevIndex of a directory", Put("/d?dir=true"), Put("/d?prevIndex={i+1}", "value=two")),
        S("Trailing slash on members", Raw("GET", "/v2/members/")),
        S("Trailing slash on machines", Raw("GET", "/v2/machines/")),
        S("Trailing slash on stats self", Shape("GET", "/v2/stats/self/")),
        S("Trailing slash on version", Raw("GET", "/version/")),
        S("POST on health", Raw("POST", "/health")),
        S("HEAD on version", Raw("HEAD", "/version")),
        S("DELETE on stats store", Raw("DELETE", "/v2/stats/store")),
    ];
}
