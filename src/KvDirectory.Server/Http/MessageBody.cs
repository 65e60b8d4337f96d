using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KvDirectory.Server.Http;

/// <summary>
/// The JSON body of a members or auth request, read whole. One over <c>--max-request-bytes</c> is answered 413 with
/// etcd's <c>{"message":…}</c> shape: before it is read when announced (then drained, see <see cref="OversizedBody"/>),
/// else when Kestrel stops it on the way in. Before, Kestrel's exception escaped: an empty 413 and a stack trace in the log.
/// </summary>
internal static class MessageBody
{
    /// <summary>The body; null once the 413 was answered.</summary>
    public static async Task<MemoryStream?> ReadAsync(HttpContext context)
    {
        if (await OversizedBody.TryRefuseAsync(context, WriteTooLargeAsync))
        {
            return null;
        }

        var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            return body;
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await body.DisposeAsync();
            await WriteTooLargeAsync(context, context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0);
            return null;
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context, long limit) =>
        EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"request body is larger than --max-request-bytes ({limit} bytes)");
}
