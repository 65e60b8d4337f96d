using KvDirectory.Node;
using KvDirectory.Server.Http;
using KvDirectory.Store;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Keys;

/// <summary>
/// A watch's answer: status and headers at once (clients tell a quiet watch from a dead server by that), then one
/// event — or, with <c>stream=true</c>, every event until the client leaves. Its reader wakes through a
/// <see cref="WatchWakeup"/>, resumed by the <see cref="WatchDispatcher"/>.
/// </summary>
public static class WatchAnswer
{
    public static async Task WriteAsync(HttpContext context, V2Store store, ICommandLog log, KeyRequest request, WatchDispatcher dispatcher)
    {
        var wakeup = new WatchWakeup(dispatcher);
        using var watcher = store.Watch(request.Path, request.Recursive, request.Stream, request.WaitIndex, wakeup.Signal);
        var response = context.Response;
        response.ContentType = EtcdHeaders.JsonContentType;
        EtcdResponses.SetIndexHeaders(response, watcher.StartIndex, log.Status);
        await response.StartAsync(context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);

        var aborted = context.RequestAborted;
        using var leaving = aborted.UnsafeRegister(static state => ((WatchWakeup)state!).Signal(), wakeup);
        var events = watcher.Events;
        while (true)
        {
            while (events.TryRead(out var etcdEvent))
            {
                await EtcdResponses.WriteWatchEventAsync(response, etcdEvent, last: !request.Stream, aborted);
                if (!request.Stream)
                {
                    return;
                }
            }

            // The hub dropped the watcher (store restored, or a stream that fell too far behind): end the response.
            if (watcher.Ended)
            {
                return;
            }

            aborted.ThrowIfCancellationRequested();
            await wakeup.WaitAsync();
        }
    }
}
