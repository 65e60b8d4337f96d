using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KvDirectory.Server.Http;

/// <summary>
/// A body announced larger than <c>--max-request-bytes</c>: refused before it is read, then read and thrown away, so a
/// client that sends the whole body before it reads the answer (most do; curl asks with Expect: 100-continue) gets the
/// 413 instead of a connection reset in the middle of its send.
/// </summary>
internal static class OversizedBody
{
    /// <summary>Bodies announced beyond this are not drained: the connection is closed on them as before.</summary>
    private const long DrainLimit = 64L * 1024 * 1024;

    /// <summary>
    /// When Content-Length exceeds the request's body limit: answers with <paramref name="writeError"/> (given the
    /// limit), completes the response, drains the body, and returns true. Otherwise false, and nothing was written.
    /// </summary>
    public static async ValueTask<bool> TryRefuseAsync(HttpContext context, Func<HttpContext, long, Task> writeError)
    {
        if (!IsAnnounced(context, out var limit))
        {
            return false;
        }

        await writeError(context, limit);
        await context.Response.CompleteAsync();
        await DrainAsync(context);
        return true;
    }

    /// <summary>True when Content-Length exceeds the request's body limit; <paramref name="limit"/> is that limit.</summary>
    private static bool IsAnnounced(HttpContext context, out long limit)
    {
        // Most keys requests (every GET) carry no body: no feature lookup for them on the read path.
        limit = long.MaxValue;
        if (context.Request.ContentLength is not { } length)
        {
            return false;
        }

        limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? long.MaxValue;
        return length > limit;
    }

    /// <summary>After the answer: reads what the client still sends, up to <see cref="DrainLimit"/>, and discards it.</summary>
    private static async Task DrainAsync(HttpContext context)
    {
        var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (context.Request.ContentLength > DrainLimit || size is null || size.IsReadOnly)
        {
            return;
        }

        size.MaxRequestBodySize = null;
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(context.RequestAborted);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or BadHttpRequestException or IOException)
        {
            // The client left or sent too slowly: the answer was given, nothing is left to do.
        }
    }
}
