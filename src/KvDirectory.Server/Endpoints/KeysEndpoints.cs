using KvDirectory.Node;
using KvDirectory.Node.Membership;
using KvDirectory.Protocol;
using KvDirectory.Server.Configuration;
using KvDirectory.Server.Auth;
using KvDirectory.Server.Http;
using KvDirectory.Server.Keys;
using KvDirectory.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Endpoints;

/// <summary><c>/v2/keys/**</c>: reads from the local store, writes through the command log, watches on the local hub.</summary>
public static class KeysEndpoints
{
    private const string KeysPrefix = "/v2/keys";
    private const string AllowedMethods = "HEAD,GET,PUT,POST,DELETE";

    /// <summary>
    /// Answers <c>/v2/keys</c> and everything under it ahead of routing, on the decoded path compared exactly, as Go's
    /// ServeMux does. Nearly every request is one of these: through endpoint routing each also paid a route match and
    /// a route-value dictionary with the key captured into it, a tenth of what a PUT allocated.
    /// </summary>
    public static IApplicationBuilder UseKeysEndpoints(this IApplicationBuilder app)
    {
        // The services are looked up once, on the first request: bound per request (a delegate with service parameters)
        // they cost a lookup each and a DI scope per request, a tenth of our own CPU on a GET.
        var services = new Lazy<KeysServices>(() => new KeysServices(app.ApplicationServices));
        return app.Use(next => context => IsKeysPath(GoPathDecodingMiddleware.DecodedPath(context)) ? HandleAsync(context, services.Value) : next(context));
    }

    /// <summary><c>/v2/keys</c> itself or a path under it; <c>/v2/keysx</c> and <c>/V2/KEYS/a</c> are not.</summary>
    internal static bool IsKeysPath(string decodedPath) =>
        decodedPath.StartsWith(KeysPrefix, StringComparison.Ordinal)
        && (decodedPath.Length == KeysPrefix.Length || decodedPath[KeysPrefix.Length] == '/');

    private static async Task HandleAsync(HttpContext context, KeysServices services)
    {
        var (store, log, gate) = (services.Store, services.Log, services.Gate);
        var method = context.Request.Method;
        if (method is not ("HEAD" or "GET" or "PUT" or "POST" or "DELETE"))
        {
            await EtcdResponses.WriteMethodNotAllowedAsync(context, AllowedMethods);
            return;
        }

        context.Response.Headers[EtcdHeaders.ClusterId] = services.ClusterIdHeader();
        if (await OversizedBody.TryRefuseAsync(context, static (context, limit) => EtcdResponses.WriteErrorAsync(context, TooLarge(limit), StatusCodes.Status413PayloadTooLarge)))
        {
            return;
        }

        try
        {
            var form = await FormReader.ReadAsync(context.Request, context.RequestAborted);
            var rawKey = RawKeyOf(context);
            // Go's path.Join("/", rawKey); a rooted key cleans to itself without a copy.
            var keyPath = GoPath.Clean(rawKey.StartsWith('/') ? rawKey : "/" + rawKey);
            KeyLimits.Check(keyPath, services.Limits);
            var request = KeyRequestParser.Parse(method, keyPath, form);

            // As etcd: after the request parsed, against the raw path (not cleaned: "/a/" is not "/a").
            if (!gate.HasKeyAccess(context, rawKey, request.Recursive))
            {
                await AuthResponses.WriteKeyNoAuthAsync(context);
                return;
            }

            if (request.Wait)
            {
                using var slot = services.WatchLimiter.Acquire(context.Connection.Id);
                await WatchAnswer.WriteAsync(context, store, log, request, services.WatchDispatcher);
                return;
            }

            if (method is "GET" or "HEAD")
            {
                // etcd ignores quorum on HEAD; on GET it makes the read linearizable.
                if (request.Quorum && method == "GET")
                {
                    await log.WaitForReadBarrierAsync(context.RequestAborted);
                }

                await EtcdResponses.WriteGetAsync(context, store, request, log);
                return;
            }

            var result = await log.ProposeAsync(KeyCommandFactory.Create(request, services.Time.GetUtcNow()), context.RequestAborted);
            await EtcdResponses.WriteEventAsync(context, result, log.Status, request.NoValueOnSuccess);
        }
        catch (EtcdException error)
        {
            await EtcdResponses.WriteErrorAsync(context, error);
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            // A body Kestrel could not read: too large (etcd has no answer for it; ours names the flag), badly framed or
            // too slow. etcd answers framing errors with its form error and the parser's message as cause; so do we.
            var tooLarge = error.StatusCode == StatusCodes.Status413PayloadTooLarge;
            var answer = tooLarge
                ? TooLarge(context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0)
                : new EtcdException(EtcdErrorCode.InvalidForm, error.Message);
            await EtcdResponses.WriteErrorAsync(context, answer, error.StatusCode);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
    }

    private static EtcdException TooLarge(long limit) =>
        new(EtcdErrorCode.InvalidForm, $"request body is larger than --max-request-bytes ({limit} bytes)");

    /// <summary>The decoded URL path after <c>/v2/keys</c>; the store path is it joined and cleaned like Go's path.Join.</summary>
    private static string RawKeyOf(HttpContext context)
    {
        var decoded = GoPathDecodingMiddleware.DecodedPath(context);
        return decoded.Length > KeysPrefix.Length ? decoded[KeysPrefix.Length..] : string.Empty;
    }

    /// <summary>The singletons a keys request uses, and the cluster id header kept formatted while the id stays.</summary>
    private sealed class KeysServices(IServiceProvider provider)
    {
        private readonly ClusterStateHolder _cluster = provider.GetRequiredService<ClusterStateHolder>();
        private FormattedId? _clusterId;

        public V2Store Store { get; } = provider.GetRequiredService<V2Store>();

        public ICommandLog Log { get; } = provider.GetRequiredService<ICommandLog>();

        public TimeProvider Time { get; } = provider.GetRequiredService<TimeProvider>();

        public RequestLimitOptions Limits { get; } = provider.GetRequiredService<IOptions<RequestLimitOptions>>().Value;

        public WatchLimiter WatchLimiter { get; } = provider.GetRequiredService<WatchLimiter>();

        public WatchDispatcher WatchDispatcher { get; } = provider.GetRequiredService<WatchDispatcher>();

        public AuthGate Gate { get; } = provider.GetRequiredService<AuthGate>();

        public string ClusterIdHeader()
        {
            var id = _cluster.Current.ClusterId;
            var cached = Volatile.Read(ref _clusterId);
            if (cached is null || cached.Id != id)
            {
                cached = new FormattedId(id, MemberId.Format(id));
                Volatile.Write(ref _clusterId, cached);
            }

            return cached.Text;
        }

        private sealed record FormattedId(ulong Id, string Text);
    }
}
