using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace KvDirectory.Cli.Tests;

/// <summary>A fake v2 endpoint that records each request's Authorization header and answers every request with one key (or never).</summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string?> _authorizations = new();
    private Task? _loop;

    public string Endpoint { get; private set; } = string.Empty;

    public IReadOnlyList<string?> Authorizations => [.. _authorizations];

    /// <summary>When false, requests are accepted and never answered (for header-timeout tests).</summary>
    public bool Answers { get; private init; } = true;

    /// <summary>Overrides the answer per request path: status and JSON body.</summary>
    public Func<string, (int Status, string Body)>? Responder { get; private init; }

    public static Task<RecordingServer> StartAsync(bool answers = true, Func<string, (int Status, string Body)>? responder = null)
    {
        var server = new RecordingServer { Answers = answers, Responder = responder };
        server.Endpoint = $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";
        server._listener.Prefixes.Add(server.Endpoint + "/");
        server._listener.Start();
        server._loop = server.ServeAsync();
        return Task.FromResult(server);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _authorizations.Enqueue(context.Request.Headers["Authorization"]);
            if (!Answers)
            {
                continue;
            }

            var (status, text) = Responder?.Invoke(context.Request.Url!.AbsolutePath)
                ?? (200, "{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"value\":\"b\",\"modifiedIndex\":1,\"createdIndex\":1}}");
            var body = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.AddHeader("X-Etcd-Index", "1");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
