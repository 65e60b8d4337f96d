using System.Text;

namespace KvDirectory.Fuzz.Tests.Generation;

/// <summary>Request targets for every endpoint group, with the paths and query strings a hostile client would try.</summary>
public sealed class TargetGenerator(Random random)
{
    public (string Endpoint, string Target) Next()
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 55 => KeysTarget(),
            < 61 => ("members", "/v2/members" + Pieces.Pick(random, ["", "/", "/leader", "/zz", "/%zz", "/0", "/" + Hex(), "/" + Hex() + "/x", "/leader/"])),
            < 66 => ("stats", "/v2/stats/" + Pieces.Pick(random, ["self", "store", "leader", "", "x", "self/", "store?x=1"])),
            < 72 => ("info", Pieces.Pick(random, ["/version", "/health", "/metrics", "/v2/machines", "/version/", "/health?x=%zz", "/v2/machines/", "/v2"])),
            < 77 => ("auth", "/v2/auth/" + Pieces.Pick(random, ["enable", "users", "roles", "users/root", "roles/guest", "users/x%2Fy", "roles/", "users/%zz", "users/" + new string('u', 3000)])),
            < 80 => ("ui", "/ui" + Pieces.Pick(random, ["", "/", "/index.html", "/x/../y", "/%zz", "/app.js", "/a%00b", "/" + Segment()])),
            < 88 => ("uiapi", "/ui/api/" + Pieces.Pick(random, ["info", "list", "count", "history", "search", "export", "config", "import/plan", "nope"]) + Query(keys: false)),
            < 90 => ("openapi", Pieces.Pick(random, ["/openapi/v1.json", "/openapi/", "/openapi/v2.json", "/openapi/v1.json?x"])),
            < 92 => ("admin", random.Next(10) == 0 ? "/v2/admin/snapshot" : Pieces.Pick(random, ["/v2/admin/digest", "/v2/admin/x", "/v2/admin/digest/"])),
            _ => ("other", RandomPath() + Query(keys: false)),
        };
    }

    private (string Endpoint, string Target) KeysTarget()
    {
        var path = KeysPath();
        // "/v2/keysfoo" is not the keys API: Go's mux (and ours) answer it 404 text.
        return (path == "/v2/keys" || path.StartsWith("/v2/keys/", StringComparison.Ordinal) ? "keys" : "other", path + Query(keys: true));
    }

    public string KeysPath()
    {
        var roll = random.Next(100);
        if (roll < 2)
        {
            // Deeper than --max-key-depth, or longer than --max-key-bytes but within the request line.
            return "/v2/keys" + string.Concat(Enumerable.Repeat("/d", random.Next(200, 400)));
        }

        if (roll < 4)
        {
            return "/v2/keys/" + new string('k', random.Next(3_000, 9_000));
        }

        if (roll < 5)
        {
            return "/v2/keys/" + new string('h', random.Next(17_000, 30_000));
        }

        var path = new StringBuilder(random.Next(8) == 0 ? "/v2/keys" : "/v2/keys/");
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                path.Append(random.Next(15) == 0 ? "//" : "/");
            }

            path.Append(Segment());
        }

        if (random.Next(6) == 0)
        {
            path.Append('/');
        }

        return path.ToString();
    }

    public string Query(bool keys)
    {
        if (random.Next(4) == 0)
        {
            return string.Empty;
        }

        var pairs = new List<string>();
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            var name = Pieces.Pick(random, Pieces.ParamNames);
            pairs.Add(random.Next(12) == 0 ? name : name + "=" + Pieces.Value(random));
        }

        if (keys && random.Next(12) == 0)
        {
            pairs.Add("wait=true");
        }

        var separator = random.Next(20) == 0 ? ";" : "&";
        return "?" + string.Join(separator, pairs);
    }

    public string FormBody() => Query(keys: true).TrimStart('?');

    private string Segment() => random.Next(5) == 0 ? "s" + random.Next(30) : Pieces.Pick(random, Pieces.Segments);

    private string RandomPath() => random.Next(6) switch
    {
        0 => "/",
        1 => "/" + Segment() + "/" + Segment(),
        2 => "/v2/" + Segment(),
        3 => "/v2/keysx/a",
        4 => "/v3/kv/range",
        _ => "/" + Convert.ToHexString(Pieces.RandomBytes(random, random.Next(1, 40))),
    };

    private string Hex() => Convert.ToHexString(Pieces.RandomBytes(random, 8)).ToLowerInvariant();
}
