using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Path cleaning redirects, methods, unknown paths, CORS, and the non-key endpoints.</summary>
public static class PathAndEndpointScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("GET with a double slash is 301", Put("/a/b", "value=one"), Get("/a//b")),
        S("GET with a dot segment is 301", Put("/a/b", "value=one"), Get("/a/./b")),
        S("GET with a dot-dot segment is 301", Put("/b", "value=one"), Get("/a/../b")),
        S("PUT with a double slash is redirected, not applied", Put("/a//b", "value=one"), Get("/a/b"), Get("/a")),
        S("PUT with a dot segment is redirected, not applied", Put("/a/./b", "value=one"), Get("/a/b")),
        S("PUT with a dot-dot segment is redirected, not applied", Put("/a/../b", "value=one"), Get("/b")),
        S("DELETE with a double slash is redirected, not applied", Put("/a/b", "value=one"), Delete("/a//b"), Get("/a/b")),
        S("POST with a dot segment is redirected", Post("/./q", "value=one"), Get("/q")),
        S("Query survives the cleaning redirect", Get("/a//b?recursive=true")),
        S("Bad method on keys is 405 with Allow", Raw("PATCH", "/v2/keys/a")),
        S("OPTIONS on keys is 200 with CORS", Raw("OPTIONS", "/v2/keys/a")),
        S("Unknown path is a text 404", Raw("GET", "/v2/nope")),
        S("Unknown version path is a text 404", Raw("GET", "/v3alpha/nope")),
        // Go's ServeMux compares paths exactly; ASP.NET Core's routing ignores case.
        S("An upper-case keys path is a text 404 and writes nothing", Raw("PUT", "/V2/KEYS/upper-case-path", "value=1"), Raw("GET", "/v2/keys/upper-case-path")),
        S("Mixed-case endpoint paths are a text 404", Raw("GET", "/v2/Members"), Raw("GET", "/Version"), Raw("GET", "/v2/stats/Self")),
        // The mux matches the decoded path: an encoded slash separates route segments like a plain one.
        S("An encoded slash in a keys path is a path separator", Raw("PUT", "/v2/keys%2Fencoded-slash", "value=1"), Raw("GET", "/v2%2Fkeys/encoded-slash"), Raw("DELETE", "/v2/keys/encoded-slash%2F")),
        S("An encoded slash in an endpoint path is a path separator", Raw("GET", "/v2%2Fmembers"), Raw("GET", "/v2%2Fmachines"), Raw("GET", "/v2/members%2Fleader")),
        S("Bad method on members", Raw("PATCH", "/v2/members")),
        S("Bad method on machines", Raw("PUT", "/v2/machines")),
        S("Version has etcdserver and etcdcluster", Shape("GET", "/version")),
        S("Health is true", Raw("GET", "/health")),
        S("Machines lists the client URL", Raw("GET", "/v2/machines")),
        S("Members lists the single member", Raw("GET", "/v2/members")),
        S("Members leader", Raw("GET", "/v2/members/leader")),
        S("Stats self shape", Shape("GET", "/v2/stats/self")),
        S("Stats store shape", Shape("GET", "/v2/stats/store")),
        S("Stats leader shape", Shape("GET", "/v2/stats/leader")),
        S("Auth users with auth off", Raw("GET", "/v2/auth/users")),
        S("Auth roles with auth off", Raw("GET", "/v2/auth/roles")),
        S("Auth enable status", Raw("GET", "/v2/auth/enable")),
    ];
}
