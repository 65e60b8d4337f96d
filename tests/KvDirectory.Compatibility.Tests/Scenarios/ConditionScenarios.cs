using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>prevExist, prevValue, prevIndex: compareAndSwap and compareAndDelete, each success and each failure cause.</summary>
public static class ConditionScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("prevExist=false on a new key is 201 create", Put("/a?prevExist=false", "value=one")),
        S("prevExist=false on an existing key is 105", Put("/a", "value=one"), Put("/a?prevExist=false", "value=two")),
        S("prevExist=true on a missing key is 100", Put("/a?prevExist=true", "value=one")),
        S("prevExist=true on an existing key is 200 update", Put("/a", "value=one"), Put("/a?prevExist=true", "value=two")),
        S("prevExist=false ignores prevValue", Put("/a?prevExist=false&prevValue=zzz", "value=one")),
        S("prevExist in the form body", Put("/a", "value=one"), Put("/a", "value=two&prevExist=false")),
        S("prevValue match is compareAndSwap", Put("/a", "value=one"), Put("/a?prevValue=one", "value=two")),
        S("prevValue mismatch is 101 with cause", Put("/a", "value=one"), Put("/a?prevValue=other", "value=two"), Get("/a")),
        S("prevIndex match is compareAndSwap", Put("/a", "value=one"), Put("/a?prevIndex={i+1}", "value=two")),
        S("prevIndex mismatch is 101 with cause", Put("/a", "value=one"), Put("/a?prevIndex=999999", "value=two")),
        S("prevIndex and prevValue both mismatch lists both", Put("/a", "value=one"), Put("/a?prevIndex=999999&prevValue=other", "value=two")),
        S("prevIndex matches but prevValue does not", Put("/a", "value=one"), Put("/a?prevIndex={i+1}&prevValue=other", "value=two")),
        S("prevIndex=0 means no condition", Put("/a", "value=one"), Put("/a?prevIndex=0", "value=two")),
        S("prevIndex=0 on a missing key", Put("/a?prevIndex=0", "value=one")),
        S("Bad prevIndex is 203", Put("/a?prevIndex=abc", "value=one")),
        S("Empty prevIndex is 203", Put("/a?prevIndex=", "value=one")),
        S("Negative prevIndex is 203", Put("/a?prevIndex=-1", "value=one")),
        S("Empty prevValue is 201", Put("/a", "value=one"), Put("/a?prevValue=", "value=two")),
        S("compareAndSwap on a missing key is 100", Put("/a?prevValue=one", "value=two")),
        S("compareAndSwap on a directory is 102", Put("/d?dir=true"), Put("/d?prevValue=one", "value=two")),
        S("prevExist=true with prevValue match", Put("/a", "value=one"), Put("/a?prevExist=true&prevValue=one", "value=two")),
        S("prevExist=true with prevValue mismatch", Put("/a", "value=one"), Put("/a?prevExist=true&prevValue=other", "value=two")),
        S("compareAndDelete with prevValue match", Put("/a", "value=one"), Delete("/a?prevValue=one")),
        S("compareAndDelete with prevValue mismatch is 101", Put("/a", "value=one"), Delete("/a?prevValue=other")),
        S("compareAndDelete with prevIndex match", Put("/a", "value=one"), Delete("/a?prevIndex={i+1}")),
        S("compareAndDelete with prevIndex mismatch is 101", Put("/a", "value=one"), Delete("/a?prevIndex=999999")),
        S("compareAndDelete with both mismatching", Put("/a", "value=one"), Delete("/a?prevIndex=999999&prevValue=other")),
        S("compareAndDelete on a missing key is 100", Delete("/a?prevValue=one")),
        S("compareAndDelete on a directory is 102", Put("/d?dir=true"), Delete("/d?prevValue=one")),
        S("compareAndDelete on a directory with dir=true", Put("/d?dir=true"), Delete("/d?dir=true&prevIndex={i+1}")),
        S("DELETE with empty prevValue is 201", Put("/a", "value=one"), Delete("/a?prevValue=")),
        S("DELETE with prevExist", Put("/a", "value=one"), Delete("/a?prevExist=true")),
        S("POST ignores prevExist=false", Post("/q?prevExist=false", "value=one")),
    ];
}
