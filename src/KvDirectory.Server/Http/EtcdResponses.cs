using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Server.Keys;
using KvDirectory.Store;
using KvDirectory.Wire;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Http;

/// <summary>Writes answers the way etcd does: JSON followed by a newline, etcd's headers, Go's plain-text errors.</summary>
public static class EtcdResponses
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private static readonly NumberTextCache ReadEtcdIndexText = new();
    private static readonly NumberTextCache ReadRaftIndexText = new();
    private static readonly NumberTextCache TermText = new();

    /// <summary>
    /// A write answers every watcher parked on its key with the same event object (events are immutable records): its
    /// answer is encoded once and shared, not once per watcher (10,000 in the fan-out benchmark). An entry lives as long
    /// as its event does.
    /// </summary>
    private static readonly ConditionalWeakTable<EtcdEvent, byte[]> EncodedWatchEvents = new();

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Task WriteEventAsync(HttpContext context, EtcdEvent etcdEvent, ConsensusStatus status, bool noValueOnSuccess)
    {
        var response = context.Response;
        response.ContentType = EtcdHeaders.JsonContentType;
        SetWriteIndexHeaders(response, etcdEvent.EtcdIndex, status);
        if (IsCreated(etcdEvent))
        {
            response.StatusCode = StatusCodes.Status201Created;
        }

        if (noValueOnSuccess && etcdEvent.Action is EtcdActions.Set or EtcdActions.Create or EtcdActions.Update or EtcdActions.CompareAndSwap)
        {
            etcdEvent = etcdEvent with { Node = null, PrevNode = null };
        }

        return WriteJsonAsync(response, etcdEvent, ProtocolJsonContext.Default.EtcdEvent);
    }

    /// <summary>The index headers of a write's answer: its indexes are new, only the term is likely the last one.</summary>
    private static void SetWriteIndexHeaders(HttpResponse response, long etcdIndex, ConsensusStatus status)
    {
        response.Headers[EtcdHeaders.EtcdIndex] = etcdIndex.ToString(CultureInfo.InvariantCulture);
        response.Headers[EtcdHeaders.RaftIndex] = status.CommitIndex.ToString(CultureInfo.InvariantCulture);
        response.Headers[EtcdHeaders.RaftTerm] = TermText.Format(status.Term);
    }

    /// <summary>The index headers of a read or a watch: between writes every answer repeats the last ones.</summary>
    public static void SetIndexHeaders(HttpResponse response, long etcdIndex, ConsensusStatus status)
    {
        response.Headers[EtcdHeaders.EtcdIndex] = ReadEtcdIndexText.Format(etcdIndex);
        response.Headers[EtcdHeaders.RaftIndex] = ReadRaftIndexText.Format(status.CommitIndex);
        response.Headers[EtcdHeaders.RaftTerm] = TermText.Format(status.Term);
    }

    public static Task WriteErrorAsync(HttpContext context, EtcdException error, int? statusOverride = null)
    {
        var response = context.Response;
        response.Headers[EtcdHeaders.EtcdIndex] = error.Index.ToString(CultureInfo.InvariantCulture);
        response.ContentType = EtcdHeaders.JsonContentType;
        response.StatusCode = statusOverride ?? error.HttpStatus;
        return WriteJsonAsync(response, error.ToError(), ProtocolJsonContext.Default.EtcdError);
    }

    /// <summary>etcd's non-key errors (members, stats): <c>{"message":"…"}</c> with the given status.</summary>
    public static Task WriteMessageErrorAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        response.ContentType = EtcdHeaders.JsonContentType;
        response.StatusCode = status;
        var json = JsonSerializer.Serialize(message, ProtocolJsonContext.Go.String);
        return response.WriteAsync("{\"message\":" + json + "}");
    }

    /// <summary>Go's <c>http.Error</c>: plain text, a trailing newline, and nosniff.</summary>
    public static Task WriteTextErrorAsync(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = EtcdHeaders.TextContentType;
        response.Headers.XContentTypeOptions = "nosniff";
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes).AsTask();
    }

    public static Task WriteMethodNotAllowedAsync(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return WriteTextErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
    }

    public static Task WriteJsonAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> typeInfo, string contentType)
    {
        response.ContentType = contentType;
        return WriteJsonAsync(response, value, typeInfo);
    }

    /// <summary>
    /// Writes JSON escaped as Go escapes it: the writer's <see cref="GoJsonEncoder"/> escapes every string, whatever context
    /// <paramref name="typeInfo"/> comes from; <see cref="ProtocolJsonContext.Default"/>'s keeps the source-generated fast path.
    /// </summary>
    public static async Task WriteJsonAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new SegmentedBufferWriter(4096);
        Serialize(buffer, value, typeInfo);
        await WriteBufferAsync(response, buffer);
    }

    /// <summary>
    /// A GET's answer, written by the store straight from its tree into the JSON (no record per node: a recursive GET of a
    /// 10,000-key directory built 10,000 of them only to serialise them). An error fails before anything is written.
    /// </summary>
    public static async Task WriteGetAsync(HttpContext context, V2Store store, KeyRequest request, ICommandLog log)
    {
        using var buffer = new SegmentedBufferWriter(4096);
        var answer = store.WriteGet(request.Path, request.Recursive, request.Sorted, buffer);
        var response = context.Response;
        response.ContentType = EtcdHeaders.JsonContentType;
        SetIndexHeaders(response, answer.EtcdIndex, log.Status);
        if (answer.KeptJson is { } kept)
        {
            // Sent as it is kept: copying a 1.3 MB listing into the buffer first was most of what a kept answer cost.
            response.ContentLength = kept.Length + NewLine.Length;
            await response.Body.WriteAsync(kept);
            await response.Body.WriteAsync(NewLine);
            return;
        }

        await WriteBufferAsync(response, buffer);
    }

    private static async Task WriteBufferAsync(HttpResponse response, SegmentedBufferWriter buffer)
    {
        buffer.Write(NewLine);
        response.ContentLength = buffer.WrittenCount;
        await buffer.WriteToAsync(response.Body);
    }

    /// <summary>
    /// Writes one event of a watch (no Content-Length: a stream goes on). The <paramref name="last"/> one completes the
    /// response, so the event and the end of the chunked body leave in one send.
    /// </summary>
    public static Task WriteWatchEventAsync(HttpResponse response, EtcdEvent etcdEvent, bool last, CancellationToken cancellationToken)
    {
        response.BodyWriter.Write(EncodedWatchEvents.GetValue(etcdEvent, EncodeWatchEvent));
        return last ? response.CompleteAsync() : response.BodyWriter.FlushAsync(cancellationToken).AsTask();
    }

    private static byte[] EncodeWatchEvent(EtcdEvent etcdEvent)
    {
        using var buffer = new SegmentedBufferWriter(4096);
        Serialize(buffer, etcdEvent, ProtocolJsonContext.Default.EtcdEvent);
        buffer.Write(NewLine);
        return buffer.ToArray();
    }

    /// <summary>
    /// Serializes through this thread's writer, reset onto <paramref name="buffer"/>: a writer per answer was one more
    /// object per GET. Used synchronously only, so a thread never shares it.
    /// </summary>
    private static void Serialize<T>(SegmentedBufferWriter buffer, T value, JsonTypeInfo<T> typeInfo)
    {
        var writer = t_writer;
        if (writer is null)
        {
            t_writer = writer = new Utf8JsonWriter(buffer, GoJsonEncoder.WriterOptions);
        }
        else
        {
            writer.Reset(buffer);
        }

        JsonSerializer.Serialize(writer, value, typeInfo);
        writer.Flush();
    }

    /// <summary>etcd answers 201 for a key that did not exist before: a create, or a set with no previous node.</summary>
    public static bool IsCreated(EtcdEvent etcdEvent) =>
        etcdEvent.Action == EtcdActions.Create || (etcdEvent.Action == EtcdActions.Set && etcdEvent.PrevNode is null);

    public static Task WriteTextAsync(HttpContext context, string text, string contentType = EtcdHeaders.TextContentType)
    {
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }
}
