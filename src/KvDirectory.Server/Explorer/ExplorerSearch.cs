using KvDirectory.Protocol;
using KvDirectory.Store;
using KvDirectory.Store.Browsing;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Explorer;

/// <summary>
/// <c>/ui/api/search</c>: newline-delimited JSON, one line per batch of matches as the walk finds them, then a line with
/// <c>done</c>. The store is walked in bounded batches, so neither writers nor other readers wait on a slow page.
/// </summary>
public static class ExplorerSearch
{
    private const int BatchMatches = 50;
    private const int BatchVisits = 20_000;
    private const int DefaultLimit = 500;

    /// <param name="readable">With auth on, for a requester who may not read everything under the searched path: which
    /// keys they may read; the others are dropped before anything is sent, so their names never leave the server.</param>
    public static async Task StreamAsync(HttpContext context, V2Store store, Func<string, bool>? readable)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var text = query["q"].ToString();
        if (prefix.Length == 0 && text.Length == 0)
        {
            throw new EtcdException(EtcdErrorCode.InvalidField, "give prefix or q");
        }

        var search = new SearchQuery
        {
            Prefix = prefix.Length > 0 ? "/" + prefix.TrimStart('/') : null,
            Contains = text.Length > 0 ? text : null,
            Under = ExplorerEndpoints.PathOf(context),
            IncludeHidden = ExplorerEndpoints.BoolOf(query, "hidden"),
        };
        var limit = Math.Clamp(ExplorerEndpoints.IntOf(query, "limit", DefaultLimit), 1, 10_000);

        // The first batch runs before anything is written, so a bad path still answers an etcd error with its status.
        var batch = Keep(store.Search(search, resumeAfter: null, Math.Min(BatchMatches, limit), BatchVisits), readable);
        var response = context.Response;
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "no-store";
        var found = 0;
        var visited = 0;
        while (true)
        {
            found += batch.Matches.Count;
            visited += batch.Visited;
            var truncated = !batch.Done && found >= limit;
            var line = new SearchLine(batch.Matches, batch.Done || truncated, truncated, readable is null ? visited : 0, Restricted: readable is not null);
            await WriteLineAsync(response, line, context.RequestAborted);
            if (batch.Done || truncated)
            {
                return;
            }

            batch = Keep(store.Search(search, batch.ResumeAfter, Math.Min(BatchMatches, limit - found), BatchVisits), readable);
        }
    }

    private static SearchBatch Keep(SearchBatch batch, Func<string, bool>? readable) =>
        readable is null ? batch : batch with { Matches = [.. batch.Matches.Where(entry => readable(entry.Key))] };

    private static async Task WriteLineAsync(HttpResponse response, SearchLine line, CancellationToken cancellationToken)
    {
        await System.Text.Json.JsonSerializer.SerializeAsync(response.Body, line, ExplorerJsonContext.Default.SearchLine, cancellationToken);
        await response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
