using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Request validation: boolean spellings, error causes, which error wins when two parameters are bad, URL escapes.</summary>
public static class ValidationScenarios
{
    private static readonly string[] BooleanParameters = ["recursive", "sorted", "wait", "dir", "quorum", "stream", "prevExist", "refresh", "noValueOnSuccess"];

    public static IEnumerable<Scenario> All()
    {
        foreach (var name in BooleanParameters)
        {
            yield return S($"Bad boolean {name} on GET is 209", Get($"/a?{name}=maybe"));
        }

        foreach (var name in new[] { "dir", "prevExist", "refresh", "noValueOnSuccess" })
        {
            yield return S($"Bad boolean {name} on PUT is 209", Put($"/a?{name}=maybe", "value=one"));
        }

        yield return S("Bad boolean recursive on DELETE is 209", Delete("/a?recursive=maybe"));
        yield return S("Empty recursive is 209", Get("/a?recursive="));
        yield return S("Bare recursive is 209", Get("/a?recursive"));
        yield return S("Go boolean spellings are accepted", Put("/d/a", "value=one"), Get("/d?recursive=T"), Get("/d?recursive=1"), Get("/d?recursive=TRUE"), Get("/d?recursive=True"), Get("/d?recursive=f&sorted=F"), Get("/d?recursive=0&sorted=FALSE"));
        yield return S("Non-Go boolean spellings are 209", Get("/a?recursive=yes"), Get("/a?recursive=on"), Get("/a?recursive=tRUE"));
        yield return S("Bad boolean in the form body is 209", Put("/a", "value=one&dir=maybe"));
        yield return S("prevIndex is checked before recursive", Get("/a?prevIndex=x&recursive=x"));
        yield return S("waitIndex is checked before recursive", Get("/a?waitIndex=x&recursive=x"));
        yield return S("prevIndex is checked before waitIndex", Get("/a?waitIndex=x&prevIndex=y"));
        yield return S("recursive is checked before sorted", Get("/a?sorted=x&recursive=y"));
        yield return S("wait is checked before dir", Get("/a?dir=x&wait=y"));
        yield return S("quorum is checked before stream", Get("/a?stream=x&quorum=y"));
        yield return S("wait on PUT is checked before empty prevValue", Put("/a?wait=true&prevValue=", "value=one"));
        yield return S("Empty prevValue is checked before bad ttl", Put("/a?prevValue=&ttl=x", "value=one"));
        yield return S("Bad ttl is checked before bad prevExist", Put("/a?ttl=x&prevExist=x", "value=one"));
        yield return S("Bad prevExist is checked before refresh", Put("/a?prevExist=x&refresh=true", "value=one"));
        yield return S("Bad waitIndex is 203", Get("/a?wait=true&waitIndex=abc"));
        yield return S("Empty waitIndex is 203", Get("/a?wait=true&waitIndex="));
        yield return S("wait=true on PUT is 209", Put("/a?wait=true", "value=one"));
        yield return S("wait=true on DELETE is 209", Delete("/a?wait=true"));
        yield return S("wait=true on POST is 209", Post("/q?wait=true", "value=one"));
        yield return S("wait=true on HEAD is 209", Head("/a?wait=true"));
        yield return S("Bad percent escape in the query is 210", Get("/a?recursive=%zz"));
        yield return S("Semicolon in the query is 210", Get("/a?recursive=true;sorted=true"));
        yield return S("Bad percent escape in the form body", Put("/a", "value=%zz"));
        yield return S("Bad percent escape in the path", Get("/a%zz"));
        yield return S("Unknown query parameters are ignored", Put("/a?colour=blue", "value=one&shape=round"));
        // Go reads the body as bytes: a leading byte-order mark belongs to the first name, so "value" is not given.
        yield return S("A byte-order mark starting the form body is part of the first field's name", Put("/a", "\uFEFFvalue=one"), Get("/a"));
    }
}
