using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Watches answered from history without blocking: every waitIndex here is at or below an existing event.</summary>
public static class WatchHistoryScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("Watch with waitIndex in history answers at once", Put("/a", "value=one"), Get("/a?wait=true&waitIndex={i+1}")),
        S("Watch from history returns the first event at or after waitIndex", Put("/a", "value=one"), Put("/a", "value=two"), Get("/a?wait=true&waitIndex={i+1}"), Get("/a?wait=true&waitIndex={i+2}")),
        S("Watch from history skips events on other keys", Put("/a", "value=one"), Put("/b", "value=two"), Put("/a", "value=three"), Get("/a?wait=true&waitIndex={i+2}")),
        S("Recursive watch from history sees a child event", Put("/d/e/a", "value=one"), Get("/d?wait=true&recursive=true&waitIndex={i+1}")),
        S("Watch from history returns a delete event", Put("/a", "value=one"), Delete("/a"), Get("/a?wait=true&waitIndex={i+2}")),
        S("Watch from history returns a compareAndSwap event", Put("/a", "value=one"), Put("/a?prevValue=one", "value=two"), Get("/a?wait=true&waitIndex={i+2}")),
        S("Watch from history returns a create event", Put("/a?prevExist=false", "value=one"), Get("/a?wait=true&waitIndex={i+1}")),
        S("Watch from history on a hidden key returns its event", Put("/_h", "value=one"), Get("/_h?wait=true&waitIndex={i+1}")),
        S("Watch from history never sees a refresh", Put("/a", "value=one&ttl=1000"), Put("/a", "refresh=true&ttl=900"), Put("/a", "value=two"), Get("/a?wait=true&waitIndex={i+2}")),
        S("Watch from history on a key deleted with its directory", Put("/d/a", "value=one"), Delete("/d?recursive=true"), Get("/d/a?wait=true&waitIndex={i+2}")),
        S("Watch from history with wait and HEAD-less GET of a directory event", Put("/d?dir=true"), Get("/d?wait=true&waitIndex={i+1}")),
        S("Watch from history with stream=true on a past event", Put("/a", "value=one"), Get("/a?wait=true&waitIndex={i+1}&stream=false")),
    ];
}
