using System.Text;
using KvDirectory.Fuzz.Tests.Auth;

namespace KvDirectory.Fuzz.Tests.Generation;

/// <summary>
/// Seeded random requests over the whole HTTP surface: well-formed ones with hostile content, bad framing, pipelines
/// and garbage. The same seed gives the same sequence of bytes.
/// </summary>
/// <remarks>With <paramref name="authOn"/> most requests carry the run's credentials, right or wrong (<see cref="AuthVocabulary"/>).</remarks>
public sealed class RequestGenerator(Random random, bool authOn = false)
{
    private static readonly string[] Methods = ["GET", "GET", "GET", "GET", "PUT", "PUT", "PUT", "POST", "DELETE", "DELETE", "HEAD", "OPTIONS", "PATCH", "get", "FOO", "TRACE"];

    private readonly TargetGenerator _targets = new(random);

    public FuzzRequest Next()
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 10 => new FramingMutator(random).Mutate(WellFormedParts(out var endpoint, forBody: true), endpoint),
            < 15 => Pipeline(),
            < 17 => Garbage(),
            _ => WellFormed(),
        };
    }

    private FuzzRequest WellFormed()
    {
        var parts = WellFormedParts(out var endpoint, forBody: false);
        var isWatch = parts.Method == "GET" && parts.Target.Contains("wait=", StringComparison.Ordinal);
        return new FuzzRequest("well-formed", endpoint, parts.ToBytes(), Delivery.Read, IsHead: parts.Method == "HEAD", MayPark: isWatch, KestrelRefuses: KestrelRefuses(parts));
    }

    /// <summary>
    /// What Kestrel answers 400 with an empty body before any handler runs, where Go's server passes it to etcd
    /// (KNOWN-DIFFERENCES.md §6): raw non-ASCII bytes in the target, <c>%00</c> in the path, HTTP/1.1 without Host.
    /// </summary>
    private static bool KestrelRefuses(RequestParts parts)
    {
        var path = parts.Target.Split('?')[0];
        return parts.Target.Any(c => c > 127) || path.Contains("%00", StringComparison.Ordinal) || !parts.Headers.Exists(h => h.Name == "Host");
    }

    private FuzzRequest Pipeline()
    {
        var count = random.Next(2, 5);
        using var bytes = new MemoryStream();
        var endpoint = "keys";
        var refused = false;
        for (var i = 0; i < count; i++)
        {
            var parts = new RequestParts { Method = Pieces.Pick(random, ["GET", "PUT", "DELETE", "POST"]), Target = _targets.KeysPath() + _targets.Query(keys: false) };
            endpoint = parts.Target.StartsWith("/v2/keys/", StringComparison.Ordinal) && endpoint == "keys" ? "keys" : "other";
            parts.Headers.Add(("Host", "127.0.0.1"));
            if (parts.Method is "PUT" or "POST")
            {
                parts.Headers.Add(("Content-Type", "application/x-www-form-urlencoded"));
                parts.Body = Encoding.UTF8.GetBytes(_targets.FormBody());
            }

            bytes.Write(parts.ToBytes());
            refused |= KestrelRefuses(parts);
        }

        // A "wait" drawn among the parameters makes one of them a watch, which parks the rest of the pipeline behind it.
        var parks = Encoding.ASCII.GetString(bytes.ToArray()).Contains("wait=", StringComparison.Ordinal);
        return new FuzzRequest("pipeline", endpoint, bytes.ToArray(), Delivery.Read, Responses: count, MayPark: parks, KestrelRefuses: refused);
    }

    private FuzzRequest Garbage()
    {
        var bytes = random.Next(3) switch
        {
            0 => Pieces.RandomBytes(random, random.Next(1, 300)),
            1 => Encoding.ASCII.GetBytes(string.Join("\r\n", Enumerable.Range(0, random.Next(1, 8)).Select(_ => Pieces.Pick(random, Pieces.ParamValues))) + "\r\n\r\n"),
            _ => Encoding.ASCII.GetBytes("GET /v2/keys/a HTTP/1.1\r\nHost: x\r\n" + new string(':', random.Next(1, 50)) + "\r\n\r\n"),
        };
        return new FuzzRequest("garbage", "other", bytes, Delivery.ReadUntilQuiet, WellFramed: false);
    }

    /// <summary>A syntactically valid request with random method, target, headers and body.</summary>
    public RequestParts WellFormedParts(out string endpoint, bool forBody)
    {
        (endpoint, var target) = forBody ? ("keys", _targets.KeysPath() + _targets.Query(keys: false)) : _targets.Next();
        var method = forBody ? Pieces.Pick(random, ["PUT", "POST"]) : Pieces.Pick(random, Methods);
        if (!authOn && endpoint == "auth" && target.StartsWith("/v2/auth/enable", StringComparison.Ordinal) && method is "PUT" or "POST")
        {
            // Turning auth on would lock the store model out; enabling is for the auth suite.
            method = "GET";
        }

        if (authOn && endpoint == "auth" && random.Next(3) == 0)
        {
            target = Pieces.Pick(random, AuthVocabulary.ProtectedTargets);
        }

        var parts = new RequestParts { Method = method, Target = target };
        if (random.Next(50) != 0)
        {
            parts.Headers.Add(("Host", "127.0.0.1"));
        }

        if (authOn ? random.Next(4) != 0 : random.Next(4) == 0)
        {
            var authorization = authOn ? AuthVocabulary.Authorization(random) : Pieces.Authorization(random);
            if (authOn && AuthVocabulary.ChangesSetup(method, target, authorization))
            {
                // Root may not undo the setup (the model and the probes rely on it): the writer tries, and must be refused.
                authorization = AuthVocabulary.Basic(AuthVocabulary.Writer, AuthVocabulary.WriterPassword);
            }

            parts.Headers.Add(("Authorization", authorization));
        }

        if (random.Next(10) == 0)
        {
            parts.Headers.Add(("Accept-Encoding", "gzip, deflate, br"));
        }

        if (random.Next(30) == 0)
        {
            parts.Headers.Add(("X-Fuzz", Pieces.Pick(random, Pieces.ParamValues)));
        }

        if (method is "PUT" or "POST" or "PATCH" || random.Next(20) == 0)
        {
            AddBody(parts, endpoint);
        }

        return parts;
    }

    private void AddBody(RequestParts parts, string endpoint)
    {
        var contentType = endpoint is "members" or "auth" or "uiapi" && random.Next(2) == 0 ? "application/json" : Pieces.Pick(random, Pieces.ContentTypes);
        if (contentType.Length > 0)
        {
            parts.Headers.Add(("Content-Type", contentType));
        }

        parts.Body = random.Next(100) switch
        {
            0 => Encoding.ASCII.GetBytes("value=" + new string('b', 2_000_000)),
            < 5 => Pieces.RandomBytes(random, random.Next(1, 500)),
            < 30 => Encoding.UTF8.GetBytes(JsonBody(endpoint)),
            _ => Encoding.UTF8.GetBytes(_targets.FormBody()),
        };
        if (random.Next(30) == 0)
        {
            parts.Headers.Add(("Content-Encoding", "gzip"));
        }

        if (random.Next(10) == 0)
        {
            parts.Chunked = true;
        }

        if (random.Next(40) == 0)
        {
            parts.Headers.Add(("Expect", "100-continue"));
        }
    }

    /// <summary>JSON bodies for members, auth and the explorer's import: never a valid new member (that would cost the node its quorum).</summary>
    private string JsonBody(string endpoint) => random.Next(14) switch
    {
        0 => "{\"peerURLs\":[]}",
        1 => "{\"peerURLs\":[\"not a url\"]}",
        2 => "{\"peerURLs\":\"http://127.0.0.1:1\"}",
        3 => "{\"peerURLs\":[\"unix://x\",1]}",
        4 => "{",
        5 => "null",
        6 => "[]",
        7 => "{\"user\":\"u\",\"password\":\"p\",\"grant\":[\"guest\"]}",
        8 => "{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":[\"/*\"]}}}",
        9 => "{\"version\":1,\"prefix\":\"/a\",\"nodes\":[{\"key\":\"/a/b\",\"value\":\"1\"}]}",
        10 => "{\"version\":1,\"nodes\":[{\"key\":null,\"dir\":true,\"nodes\":[{}]}]}",
        11 => "\"" + new string('s', random.Next(10, 20_000)) + "\"",
        12 => endpoint == "members" ? "{\"peerURLs\":[\"http://[::1\"]}" : "{\"a\":" + string.Concat(Enumerable.Repeat("[", 300)),
        _ => "{\"x\":1e999}",
    };
}
