using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>
/// Strings escaped as Go's encoding/json escapes them (<c>\"</c>, <c>\u003c</c>, raw UTF-8, raw <c>+</c> and <c>'</c>…) in values,
/// keys, listings, causes and watch answers. The escaping itself is compared by <c>Harness/GoEscaping</c>: the value
/// comparison alone cannot see it. No digits in values that end up in a cause: the normaliser rebases numbers there.
/// </summary>
public static class EscapingScenarios
{
    /// <summary>Every rule at once: " \ &lt; &gt; &amp; control characters, \b \f, DEL, U+2028/2029, + ' /, é 中 😀, NEL, BOM, a real U+FFFD.</summary>
    private const string Everything =
        "%22%5C%3C%3E%26%00%01%08%09%0A%0B%0C%0D%1B%1F%7F%E2%80%A8%E2%80%A9%2B%27%2F%C3%A9%E4%B8%AD%F0%9F%98%80%C2%85%EF%BB%BF%EF%BF%BD";

    public static IEnumerable<Scenario> All() =>
    [
        S("Escaping of quotes and backslashes in a value", Put("/a", "value=a%22b%5Cc%22"), Get("/a")),
        S("Escaping of HTML characters in a value", Put("/a", "value=%3Cb%3Ex%26amp%3B%3C%2Fb%3E"), Get("/a")),
        S("Escaping of control characters in a value", Put("/a", "value=%00%01%07%08%09%0A%0B%0C%0D%0E%1B%1F%7F"), Get("/a")),
        S("Escaping keeps non-ASCII raw in a value", Put("/a", "value=%C3%A9%E4%B8%AD%F0%9F%98%80%C2%85%EF%BB%BF%EF%BF%BD"), Get("/a")),
        S("Escaping of line and paragraph separators in a value", Put("/a", "value=a%E2%80%A8b%E2%80%A9c"), Get("/a")),
        S("Escaping keeps plus apostrophe and slash raw in a value", Put("/a", "value=a%2Bb%27c%2Fd"), Get("/a")),
        S("Escaping of the mixed value from the bug report", Put("/a", "value=a%22b%3C%C3%A9%2B%27"), Get("/a")),
        S("Escaping of every rule in one value with prevNode", Put("/a", "value=" + Everything), Put("/a", "value=" + Everything + "x"), Get("/a")),
        S("Escaping of special characters in keys",
            Put("/k%22q", "value=one"), Put("/k%5C", "value=two"), Put("/k%3Ca%3E%26", "value=three"), Put("/k%01x%09y", "value=four"),
            Put("/k%E2%80%A8", "value=five"), Put("/k%C3%A9%E4%B8%AD%F0%9F%98%80", "value=six"), Put("/k%2B%27", "value=seven"),
            Get("/k%22q"), Get("/k%3Ca%3E%26")),
        S("Escaping in a sorted directory listing",
            Put("/d/k%22q", "value=a%22b"), Put("/d/k%3Cx%3E", "value=%3C%26%3E"), Put("/d/k%C3%A9", "value=%E4%B8%AD%F0%9F%98%80%E2%80%A9"),
            Put("/d/k%2B%27", "value=%2B%27%0A%0C"), Get("/d?recursive=true&sorted=true")),
        S("Escaping in an unsorted recursive listing", Put("/d/e/k%22", "value=%5C%22"), Put("/d/k%E2%80%A8", "value=%08"), Get("/d?recursive=true")),
        S("Escaping in a compare-failed cause of compareAndSwap", Put("/a", "value=a%22b%3C%C3%A9%2B%27%5C"), Put("/a?prevValue=x%22y%3E%26%E2%80%A8%01", "value=z")),
        S("Escaping in a compare-failed cause of compareAndDelete", Put("/a", "value=%3Cv%3E%0A%E4%B8%AD"), Delete("/a?prevValue=%22w%22%F0%9F%98%80")),
        S("Escaping in a key-not-found cause", Get("/nope%22%3C%C3%A9%2B%27")),
        S("Escaping in a not-a-file cause", Put("/d%22%3C/a", "value=one"), Put("/d%22%3C", "value=two")),
        S("Escaping in a watch answer from history", Put("/w%22%3C", "value=" + Everything), Get("/w%22%3C?wait=true&waitIndex={i+1}")),
        S("Escaping in a recursive watch answer with prevNode", Put("/d/k%C3%A9", "value=%22one%22"), Put("/d/k%C3%A9", "value=%3Ctwo%3E%E2%80%A8"),
            Get("/d?wait=true&recursive=true&waitIndex={i+2}")),
        S("Escaping of a JSON-looking value", Put("/a", "value=%7B%22a%22%3A%5B%22%3C%2F%3E%22%5D%7D"), Get("/a")),
    ];
}
