namespace KvDirectory.Server.OpenApi;

/// <summary>
/// The v2 endpoints are mapped for every method (etcd answers 405 itself), so ASP.NET Core's generator sees no
/// operations on them; these records say what each one takes and answers, and <see cref="EtcdApiDocumentTransformer"/>
/// writes them into the generated document.
/// </summary>
internal sealed record ApiOperation(
    string Path,
    string Method,
    string Tag,
    string Summary,
    string Description,
    IReadOnlyList<ApiParameter> Parameters,
    IReadOnlyList<ApiResponse> Responses)
{
    /// <summary>Form fields (<c>application/x-www-form-urlencoded</c>); etcd reads the same names from the query string too.</summary>
    public IReadOnlyList<ApiParameter> FormFields { get; init; } = [];

    /// <summary>A JSON request body: the component schema's name.</summary>
    public string? JsonBody { get; init; }
}

internal enum ApiType
{
    String,
    Integer,
    Boolean,
}

internal sealed record ApiParameter(string Name, ApiType Type, string Description, bool InPath = false);

/// <summary>An answer: its status, what it means, and its body (a component schema, or a media type with a plain string body).</summary>
internal sealed record ApiResponse(int Status, string Description, string? Schema = null, string MediaType = "application/json");
