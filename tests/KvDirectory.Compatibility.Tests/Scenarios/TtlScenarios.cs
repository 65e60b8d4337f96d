using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>
/// TTLs that never expire during the run (1000 s): an expiry would bump the index under a later scenario.
/// Expiry itself is exercised in the concurrent watch tests, which wait for it.
/// </summary>
public static class TtlScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("PUT with ttl has ttl and expiration", Put("/a", "value=one&ttl=1000")),
        S("GET a key with ttl", Put("/a", "value=one&ttl=1000"), Get("/a")),
        S("PUT again with a new ttl", Put("/a", "value=one&ttl=1000"), Put("/a", "value=two&ttl=500"), Get("/a")),
        S("PUT without ttl makes the key permanent", Put("/a", "value=one&ttl=1000"), Put("/a", "value=two"), Get("/a")),
        S("PUT with empty ttl makes the key permanent", Put("/a", "value=one&ttl=1000"), Put("/a", "value=two&ttl="), Get("/a")),
        S("Bad ttl is 202", Put("/a", "value=one&ttl=abc")),
        S("Negative ttl", Put("/a", "value=one&ttl=-1")),
        // ttl=0 expires at the next sweep: the watch waits for that expire event so it cannot land in a later scenario.
        S("Zero ttl expires at once", Put("/a", "value=one&ttl=0"), Get("/a?wait=true&waitIndex={i+2}")),
        S("Fractional ttl is 202", Put("/a", "value=one&ttl=1.5")),
        S("ttl in the query string", Put("/a?ttl=1000", "value=one"), Get("/a")),
        S("refresh=true with ttl keeps the value and acts as set", Put("/a", "value=one&ttl=1000"), Put("/a", "refresh=true&ttl=900"), Get("/a")),
        S("refresh=true with prevExist=true acts as update", Put("/a", "value=one&ttl=1000"), Put("/a?prevExist=true", "refresh=true&ttl=900"), Get("/a")),
        S("refresh=true with a value is 211", Put("/a", "value=one&ttl=1000"), Put("/a", "refresh=true&ttl=900&value=two")),
        S("refresh=true without ttl is 212", Put("/a", "value=one&ttl=1000"), Put("/a", "refresh=true")),
        S("refresh=true on a missing key", Put("/a", "refresh=true&ttl=900")),
        S("refresh=true with prevExist=true on a missing key is 100", Put("/a?prevExist=true", "refresh=true&ttl=900")),
        S("refresh=true with prevValue", Put("/a", "value=one&ttl=1000"), Put("/a?prevValue=one", "refresh=true&ttl=900"), Put("/a?prevValue=two", "refresh=true&ttl=900")),
        S("refresh=true on a directory", Put("/d?dir=true&ttl=1000"), Put("/d?dir=true&prevExist=true", "refresh=true&ttl=900"), Get("/d")),
        S("refresh=true on a permanent key adds a ttl", Put("/a", "value=one"), Put("/a?prevExist=true", "refresh=true&ttl=900"), Get("/a")),
        S("compareAndSwap with a ttl", Put("/a", "value=one"), Put("/a?prevValue=one", "value=two&ttl=1000")),
        S("Directory ttl update with prevExist", Put("/d?dir=true&ttl=1000"), Put("/d?dir=true&prevExist=true&ttl="), Get("/d")),
        S("Children of a ttl directory keep their own ttl", Put("/d?dir=true&ttl=1000"), Put("/d/a", "value=one&ttl=800"), Get("/d?recursive=true")),
    ];
}
