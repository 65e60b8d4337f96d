using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace KvDirectory.Server.OpenApi;

/// <summary>
/// Writes the etcd v2 operations (<see cref="EtcdApiOperations"/>) and their schemas into the generated document, and
/// fixes what would otherwise vary per process: the server list names the default address, not the one asked.
/// </summary>
internal sealed class EtcdApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "KvDirectory",
            Version = "v2",
            Description = "The etcd v2 HTTP+JSON API as etcd 3.4 (`--enable-v2`) answers it, plus KvDirectory's admin endpoints. "
                + "Answers carry `X-Etcd-Index` (the store's index), and keys answers `X-Raft-Index` and `X-Raft-Term`. "
                + "Deliberate differences from etcd are listed in tests/KvDirectory.Compatibility.Tests/KNOWN-DIFFERENCES.md.",
        };
        document.Servers = [new OpenApiServer { Url = "http://127.0.0.1:2379", Description = "The default listen address" }];
        EtcdApiSchemas.AddTo(document);
        document.Paths ??= [];
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var operation in EtcdApiOperations.All)
        {
            if (!document.Paths.TryGetValue(operation.Path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[operation.Path] = item;
            }

            var pathItem = (OpenApiPathItem)item;
            pathItem.Operations ??= [];
            pathItem.Operations[new HttpMethod(operation.Method)] = Build(operation, document);
            tags.Add(operation.Tag);
        }

        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var tag in tags)
        {
            document.Tags.Add(new OpenApiTag { Name = tag });
        }

        return Task.CompletedTask;
    }

    private static OpenApiOperation Build(ApiOperation operation, OpenApiDocument document)
    {
        var built = new OpenApiOperation
        {
            Summary = operation.Summary,
            Description = operation.Description.Length > 0 ? operation.Description : null,
            OperationId = OperationId(operation),
            Tags = new HashSet<OpenApiTagReference> { new(operation.Tag, document) },
            Parameters = [.. operation.Parameters.Select(p => (IOpenApiParameter)Parameter(p))],
            Responses = [],
        };
        if (operation.FormFields.Count > 0)
        {
            // etcd reads these from the query string too; listing them as query parameters as well makes tools offer both.
            foreach (var field in operation.FormFields)
            {
                built.Parameters.Add(Parameter(field));
            }

            built.RequestBody = new OpenApiRequestBody
            {
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/x-www-form-urlencoded"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = operation.FormFields.ToDictionary(f => f.Name, f => (IOpenApiSchema)Schema(f, f.Description), StringComparer.Ordinal),
                        },
                    },
                },
            };
        }

        if (operation.JsonBody is { } body)
        {
            built.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(body, document) },
                },
            };
        }

        foreach (var response in operation.Responses)
        {
            var answer = new OpenApiResponse { Description = response.Description };
            if (response.Schema is { } schema || response.MediaType != "application/json")
            {
                answer.Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    [response.MediaType] = new()
                    {
                        Schema = response.Schema is { } name
                            ? new OpenApiSchemaReference(name, document)
                            : new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                };
            }

            built.Responses[response.Status.ToString(CultureInfo.InvariantCulture)] = answer;
        }

        return built;
    }

    private static OpenApiParameter Parameter(ApiParameter parameter) => new()
    {
        Name = parameter.Name,
        In = parameter.InPath ? ParameterLocation.Path : ParameterLocation.Query,
        Required = parameter.InPath,
        Description = parameter.Description,
        Schema = Schema(parameter, description: null),
    };

    private static OpenApiSchema Schema(ApiParameter parameter, string? description) => parameter.Type switch
    {
        ApiType.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = description },
        ApiType.Boolean => new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = description },
        _ => new OpenApiSchema { Type = JsonSchemaType.String, Description = description },
    };

    private static string OperationId(ApiOperation operation)
    {
        var words = operation.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w != "v2")
            .Select(w => w.Trim('{', '}'))
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]);
        return operation.Method.ToLowerInvariant() + string.Concat(words);
    }
}
