using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Short names for steps so a scenario table reads like the requests it sends; key paths are under the scenario prefix.</summary>
public static class StepBuilder
{
    public static Scenario S(string name, params Step[] steps) => new(name, steps);

    public static string Keys(string path) => "/v2/keys{p}" + path;

    public static Step Get(string path) => new("GET", Keys(path));

    public static Step Head(string path) => new("HEAD", Keys(path));

    public static Step Put(string path, string? body = null) => new("PUT", Keys(path), body);

    public static Step Post(string path, string? body = null) => new("POST", Keys(path), body);

    public static Step Delete(string path, string? body = null) => new("DELETE", Keys(path), body);

    public static Step Raw(string method, string pathAndQuery, string? body = null, string? contentType = RawHttp.FormContentType) =>
        new(method, pathAndQuery, body, contentType);

    public static Step Shape(string method, string pathAndQuery) => new(method, pathAndQuery, Mode: CompareMode.Shape);
}
