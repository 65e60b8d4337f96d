using System.Globalization;
using System.Text.Json;
using KvDirectory.Protocol;
using KvDirectory.Protocol.Configuration;
using KvDirectory.Protocol.Dump;
using KvDirectory.Server.Auth;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Http;
using KvDirectory.Store;
using KvDirectory.Store.Browsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Explorer;

/// <summary>
/// The browser explorer at <c>/ui/</c>: its page for every path beneath (so <c>/ui/keys/a/b</c> is a link to a key),
/// and the read-only API it needs beyond <c>/v2</c> under <c>/ui/api/</c>. The explorer writes through <c>/v2/keys</c>
/// only, so every write is an ordinary replicated etcd write.
/// </summary>
public static class ExplorerEndpoints
{
    private const string JsonType = "application/json";

    public static IEndpointRouteBuilder MapExplorerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExplorerSession();
        endpoints.MapGet("/ui/api/info", (HttpContext context, V2Store store, IOptions<ServerOptions> options) =>
            WriteAsync(context, new ExplorerInfo(options.Value.ExplorerReadOnly, options.Value.Name, store.CurrentIndex), ExplorerJsonContext.Default.ExplorerInfo));
        endpoints.MapGet("/ui/api/list", (HttpContext context, V2Store store) => AnswerAsync(context, store, recursive: false, () =>
        {
            var query = context.Request.Query;
            var page = store.ListPage(PathOf(context), IntOf(query, "offset", 0), IntOf(query, "limit", 200), BoolOf(query, "hidden"));
            return WriteAsync(context, page, ExplorerJsonContext.Default.DirectoryPage);
        }));
        endpoints.MapGet("/ui/api/count", (HttpContext context, V2Store store) => AnswerAsync(context, store, recursive: true, () =>
            WriteAsync(context, store.CountSubtree(PathOf(context)), ExplorerJsonContext.Default.SubtreeSize)));
        endpoints.MapGet("/ui/api/history", (HttpContext context, V2Store store) => AnswerAsync(context, store, recursive: true, () =>
            WriteAsync(context, store.History(PathOf(context), IntOf(context.Request.Query, "limit", 20)), ExplorerJsonContext.Default.KeyHistory)));
        endpoints.MapGet("/ui/api/search", SearchAsync);
        endpoints.MapGet("/ui/api/export", (HttpContext context, V2Store store, TimeProvider time) => AnswerAsync(context, store, recursive: true, () => ExportAsync(context, store, time)));
        endpoints.MapPost("/ui/api/import/plan", (HttpContext context, V2Store store) => AnswerAsync(context, store, recursive: true, () => PlanImportAsync(context, store), TargetOf(context)));
        endpoints.MapGet("/ui/api/config", (HttpContext context, V2Store store) => AnswerAsync(context, store, recursive: true, () => PreviewConfigurationAsync(context, store)));
        endpoints.Map("/ui/api/{**rest}", (HttpContext context) =>
            EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found"));
        endpoints.MapMethods("/ui/{**path}", ["GET", "HEAD"], ServePageAsync);
        return endpoints;
    }

    /// <summary>An asset when one has that name; the page itself for every other path (the page routes by URL).</summary>
    private static async Task ServePageAsync(HttpContext context, string? path)
    {
        // Routing matches /ui and /ui/ alike; the page's relative URLs need the slash.
        if (context.Request.Path.Value == "/ui")
        {
            context.Response.Redirect("/ui/");
            return;
        }

        if (!await ExplorerAssets.TryWriteAsync(context, path ?? string.Empty) && !await ExplorerAssets.TryWriteAsync(context, "index.html"))
        {
            await EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found");
        }
    }

    private static async Task ExportAsync(HttpContext context, V2Store store, TimeProvider time)
    {
        var path = PathOf(context);
        var dump = store.Dump(path, time.GetUtcNow()) with { Source = $"{context.Request.Scheme}://{context.Request.Host}" };
        var name = path == "/" ? "root" : path.Trim('/').Replace('/', '_');
        // A key may hold any character; a header may not (Kestrel throws on non-ASCII or control characters, which was a
        // 500 found by the fuzz test): the name goes as RFC 6266's filename* with an ASCII fallback.
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(name + ".json");
        context.Response.Headers.ContentDisposition = disposition.ToString();
        await EtcdResponses.WriteJsonAsync(context.Response, dump, KeyDumpJsonContext.Default.KeyDump, JsonType);
    }

    private static async Task PlanImportAsync(HttpContext context, V2Store store)
    {
        KeyDump? dump;
        try
        {
            dump = await JsonSerializer.DeserializeAsync(context.Request.Body, KeyDumpJsonContext.Default.KeyDump, context.RequestAborted);
        }
        catch (JsonException error)
        {
            throw new EtcdException(EtcdErrorCode.InvalidForm, "not a dump: " + error.Message, store.CurrentIndex);
        }

        if (dump is null)
        {
            throw new EtcdException(EtcdErrorCode.InvalidForm, "empty dump", store.CurrentIndex);
        }

        var target = context.Request.Query["target"].ToString();
        ImportPlan plan;
        try
        {
            plan = store.PlanImport(dump, target.Length == 0 ? null : target);
        }
        catch (ArgumentException error)
        {
            throw new EtcdException(EtcdErrorCode.InvalidForm, error.Message.Split(" (Parameter")[0], store.CurrentIndex);
        }

        var view = new ImportPlanView(
            plan.Items,
            plan.Count(ImportStatus.Added),
            plan.Count(ImportStatus.Changed),
            plan.Count(ImportStatus.Unchanged),
            plan.Count(ImportStatus.Conflicting),
            plan.EtcdIndex);
        await WriteAsync(context, view, ExplorerJsonContext.Default.ImportPlanView);
    }

    private static Task PreviewConfigurationAsync(HttpContext context, V2Store store)
    {
        var prefix = PathOf(context);
        var read = store.Get(prefix, recursive: true, sorted: true);
        var options = new ConfigurationMappingOptions { ExpandJson = BoolOf(context.Request.Query, "expandJson") };
        var values = ConfigurationKeyMapper.Map(prefix, read.Node, options);
        return WriteAsync(context, new ConfigurationPreview(prefix, values, read.EtcdIndex), ExplorerJsonContext.Default.ConfigurationPreview);
    }

    /// <summary>
    /// Runs an answer, turning the store's and the parser's errors into etcd's JSON errors. With auth on, the requester
    /// needs read permission on the key or prefix asked about (recursive: a prefix permission covering it), as a
    /// <c>/v2/keys</c> GET of it would; a refusal is etcd's keys refusal (401, error 110), so a page can ask for a login.
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, V2Store store, bool recursive, Func<Task> answer, string? key = null)
    {
        var gate = context.RequestServices.GetRequiredService<AuthGate>();
        if (!gate.HasKeyAccess(context, key ?? PathOf(context), recursive, write: false))
        {
            await AuthResponses.WriteKeyNoAuthAsync(context);
            return;
        }

        await RunAsync(context, store, answer);
    }

    /// <summary>
    /// A search by someone who may read the whole searched path is a plain search; anyone else (the guest, a user with
    /// some prefixes) searches too, but only the keys they may read are kept. Wrong credentials are refused as usual, and
    /// so is a search under a path other than the root that they may not read (its existence would show in the answer).
    /// </summary>
    private static Task SearchAsync(HttpContext context, V2Store store)
    {
        var gate = context.RequestServices.GetRequiredService<AuthGate>();
        var path = PathOf(context);
        if (gate.HasKeyAccess(context, path, recursive: true, write: false))
        {
            return RunAsync(context, store, () => ExplorerSearch.StreamAsync(context, store, readable: null));
        }

        var readable = gate.ReadableKeys(context);
        return gate.TryIdentify(context, out _) && (path == "/" || readable(path))
            ? RunAsync(context, store, () => ExplorerSearch.StreamAsync(context, store, readable))
            : AuthResponses.WriteKeyNoAuthAsync(context);
    }

    /// <summary>Runs an answer, turning the store's and the parser's errors into etcd's JSON errors.</summary>
    private static async Task RunAsync(HttpContext context, V2Store store, Func<Task> answer)
    {
        try
        {
            await answer();
        }
        catch (EtcdException error)
        {
            await EtcdResponses.WriteErrorAsync(context, error.Index == 0 && error.ErrorCode < 200 ? new EtcdException(error.ErrorCode, error.Cause, store.CurrentIndex) : error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away (a new search replaced this one).
        }
    }

    internal static Task WriteAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        context.Response.Headers.CacheControl = "no-store";
        return EtcdResponses.WriteJsonAsync(context.Response, value, typeInfo, JsonType);
    }

    /// <summary>Where an import would write: the target, or the whole tree when the dump's own paths are kept.</summary>
    private static string TargetOf(HttpContext context) =>
        context.Request.Query["target"].ToString() is { Length: > 0 } target ? target : "/";

    internal static string PathOf(HttpContext context) =>
        context.Request.Query["path"].ToString() is { Length: > 0 } path ? path : "/";

    internal static bool BoolOf(IQueryCollection query, string name) =>
        query[name].ToString() is "true" or "1";

    internal static int IntOf(IQueryCollection query, string name, int fallback)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new EtcdException(EtcdErrorCode.InvalidField, $"invalid {name}: {text}");
    }
}
