using System.Net;
using System.Text;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// A pretend member that answers every request with what <see cref="FakeMember(Func{HttpListenerRequest, (int, string)})"/>
/// says: a broken cluster for showing that the nemesis floors fail a run that proves nothing.
/// </summary>
public sealed class FakeMember : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, (int Status, string Body)> _answer;
    private readonly Task _serving;

    public FakeMember(Func<HttpListenerRequest, (int Status, string Body)> answer)
    {
        _answer = answer;
        ClientUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(ClientUrl.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri ClientUrl { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the pending accept with one of these.
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var (status, body) = _answer(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
