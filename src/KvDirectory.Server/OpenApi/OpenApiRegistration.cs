using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KvDirectory.Server.OpenApi;

/// <summary>The OpenAPI description at <c>/openapi/v1.json</c>: the generated document, enriched with the etcd v2 API.</summary>
public static class OpenApiRegistration
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddKvDirectoryOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer<EtcdApiDocumentTransformer>());

    public static IEndpointRouteBuilder MapKvDirectoryOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        return endpoints;
    }
}
