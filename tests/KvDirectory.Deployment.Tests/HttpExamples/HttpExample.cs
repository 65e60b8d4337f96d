namespace KvDirectory.Deployment.Tests.HttpExamples;

/// <summary>One request of a <c>.http</c> file, as REST Client would send it, with the status the file says it answers.</summary>
public sealed record HttpExample
{
    public required string File { get; init; }

    /// <summary>The 1-based line of the request line, for failure messages.</summary>
    public required int Line { get; init; }

    public required string Title { get; init; }

    /// <summary><c># @name</c>: later requests refer to its response as <c>{{name.response.body.$.path}}</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c># @expect</c>: the status code it must answer.</summary>
    public required int ExpectedStatus { get; init; }

    /// <summary><c># @headers-only</c>: the answer never ends by itself (a watch), so only its status is read.</summary>
    public bool HeadersOnly { get; init; }

    public required string Method { get; init; }

    public required string Url { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public required string Body { get; init; }
}
