using System.Text;
using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Auth;

/// <summary>
/// Each endpoint × each kind of requester with auth on, against etcd 3.4 and the candidate: same status, headers and
/// body; and a write that was refused changed nothing (the root's read before and after it agree).
/// </summary>
[Collection(AuthCollection.Name)]
public sealed class AuthAccessMatrixTests(AuthPair pair)
{
    private const string RootPassword = "rootpw";
    private static readonly Requester Root = Requester.As("root", RootPassword);

    public static IEnumerable<object[]> Requesters =>
    [
        ["no credentials"],
        ["wrong password"],
        ["unknown user"],
        ["user without permission"],
        ["read-only"],
        ["read-write"],
        ["root"],
        ["lower-case scheme"],
        ["not basic"],
        ["bad base64"],
        ["no colon"],
        ["guest"],
    ];

    private static Requester ByKind(string kind) => kind switch
    {
        "no credentials" => Requester.Anonymous,
        "guest" => Requester.Anonymous with { Name = "guest" },
        "wrong password" => Requester.As("ro", "bad"),
        "unknown user" => Requester.As("ghost", "x"),
        "user without permission" => Requester.As("nop", "n"),
        "read-only" => Requester.As("ro", "r"),
        "read-write" => Requester.As("rw", "w"),
        "root" => Root,
        "lower-case scheme" => new Requester(kind, "basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("rw:w"))),
        "not basic" => new Requester(kind, "Bearer abc"),
        "bad base64" => new Requester(kind, "Basic !!!!"),
        "no colon" => new Requester(kind, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("rw"))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Requesters))]
    public async Task Every_endpoint_answers_this_requester_as_etcd(string kind)
    {
        await AuthScenarioRunner.ResetAsync(pair, RootPassword);
        var setup = Setup(guestMayRead: kind == "guest");
        var who = ByKind(kind);
        var steps = setup.Concat(Matrix(who)).ToList();

        var reference = await AuthScenarioRunner.RunAsync(pair.Reference, steps);
        var candidate = await AuthScenarioRunner.RunAsync(pair.Candidate, steps);
        DifferentialAssert.Identical($"auth matrix: {kind}", reference, candidate);
        RefusedWritesChangedNothing(candidate, steps);
        RefusedWritesChangedNothing(reference, steps);
        await AuthScenarioRunner.ResetAsync(pair, RootPassword);
    }

    private static IEnumerable<AuthStep> Setup(bool guestMayRead)
    {
        var anonymous = Requester.Anonymous;
        yield return anonymous.Form("PUT", "/v2/keys/m/pub/a", "value=public");
        yield return anonymous.Form("PUT", "/v2/keys/m/rw/a", "value=original");
        yield return anonymous.Form("PUT", "/v2/keys/m/secret/a", "value=secret");
        yield return anonymous.Json("PUT", "/v2/auth/users/root", """{"user":"root","password":"rootpw"}""");
        yield return anonymous.Json("PUT", "/v2/auth/roles/reader", """{"role":"reader","permissions":{"kv":{"read":["/m/pub*","/m/rw/a"]}}}""");
        yield return anonymous.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","permissions":{"kv":{"read":["/m/rw*"],"write":["/m/rw*"]}}}""");
        yield return anonymous.Json("PUT", "/v2/auth/roles/nothing", """{"role":"nothing"}""");
        yield return anonymous.Json("PUT", "/v2/auth/users/ro", """{"user":"ro","password":"r","roles":["reader"]}""");
        yield return anonymous.Json("PUT", "/v2/auth/users/rw", """{"user":"rw","password":"w","roles":["writer","reader"]}""");
        yield return anonymous.Json("PUT", "/v2/auth/users/nop", """{"user":"nop","password":"n","roles":["nothing"]}""");
        yield return anonymous.Json("PUT", "/v2/auth/enable");
        yield return Root.Json("PUT", "/v2/auth/roles/guest", """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}""");
        if (guestMayRead)
        {
            yield return Root.Json("PUT", "/v2/auth/roles/guest", """{"role":"guest","grant":{"kv":{"read":["/m/pub*","/m"],"write":["/m/rw/guest*"]}}}""");
        }
    }

    private static IEnumerable<AuthStep> Matrix(Requester who)
    {
        // Keys: reads exact, recursive, listing, root; watches from history; writes each with the root's view around it.
        yield return who.Get("/v2/keys/m/pub/a");
        yield return who.Get("/v2/keys/m/pub/a?quorum=true");
        yield return who.Get("/v2/keys/m/pub?recursive=true");
        yield return who.Get("/v2/keys/m/pub/?recursive=false");
        yield return who.Get("/v2/keys/m/pub");
        yield return who.Get("/v2/keys/m");
        yield return who.Get("/v2/keys/m/rw/a");
        yield return who.Get("/v2/keys/m/secret/a");
        yield return who.Get("/v2/keys/m/missing");
        yield return who.Get("/v2/keys/");
        yield return who.Get("/v2/keys");
        yield return who.Get("/v2/keys/m/pub/a?wait=true&waitIndex={i+1}");
        yield return who.Get("/v2/keys/m/secret/a?wait=true&waitIndex={i+3}");
        yield return who.Get("/v2/keys/m/pub?wait=true&recursive=true&waitIndex={i+1}");
        yield return who.Get("/v2/keys/m/pub/a?recursive=maybe");
        yield return new AuthStep(who.Name, who.Authorization, "HEAD", "/v2/keys/m/pub/a", null, null, CompareMode.Exact);
        foreach (var write in Writes(who))
        {
            yield return Root.Get("/v2/keys/m?recursive=true&sorted=true");
            yield return write;
            yield return Root.Get("/v2/keys/m?recursive=true&sorted=true");
        }

        // Members: reads open, changes root-only (the refusal comes before the body is read).
        yield return who.Get("/v2/members");
        yield return who.Get("/v2/members/leader");
        yield return who.Json("POST", "/v2/members", "{}");
        yield return who.Json("DELETE", "/v2/members/zz");
        yield return who.Json("PUT", "/v2/members/zz", "{}");

        // Never checked by etcd.
        yield return who.Get("/v2/stats/self", CompareMode.Shape);
        yield return who.Get("/v2/stats/store", CompareMode.Shape);
        yield return who.Get("/v2/stats/leader", CompareMode.Shape);
        yield return who.Get("/v2/machines");
        yield return who.Get("/version");
        yield return who.Get("/health");

        // Auth: the flag is readable by all, everything else is root's.
        yield return who.Get("/v2/auth/enable");
        yield return who.Json("PUT", "/v2/auth/enable");
        yield return who.Get("/v2/auth/users");
        yield return who.Get("/v2/auth/users/ro");
        yield return who.Get("/v2/auth/roles");
        yield return who.Get("/v2/auth/roles/writer");
        yield return who.Json("PUT", "/v2/auth/roles/extra", "garbage");
        yield return who.Json("DELETE", "/v2/auth/users/ghost");
        yield return who.Json("DELETE", "/v2/auth/enable");
        yield return Root.Get("/v2/auth/enable");
    }

    private static IEnumerable<AuthStep> Writes(Requester who)
    {
        yield return who.Form("PUT", "/v2/keys/m/rw/a", "value=changed");
        yield return who.Form("PUT", "/v2/keys/m/rw/guest1", "value=guest");
        yield return who.Form("PUT", "/v2/keys/m/pub/a", "value=changed");
        yield return who.Form("PUT", "/v2/keys/m/secret/a?prevExist=true", "value=changed");
        yield return who.Form("POST", "/v2/keys/m/rw/queue", "value=job");
        yield return who.Form("PUT", "/v2/keys/m/rw/dir?dir=true");
        yield return who.Form("DELETE", "/v2/keys/m/rw/dir?dir=true");
        yield return who.Form("DELETE", "/v2/keys/m/pub/a");
        yield return who.Form("DELETE", "/v2/keys/m/rw?recursive=true");
        yield return who.Form("PUT", "/v2/keys/m/rw/ttl?ttl=abc", "value=x");
    }

    /// <summary>Wherever a write was refused (401), the root's reads around it are identical.</summary>
    private static void RefusedWritesChangedNothing(ServerRun run, IReadOnlyList<AuthStep> steps)
    {
        var refused = 0;
        for (var i = 1; i < steps.Count - 1; i++)
        {
            if (steps[i].PathAndQuery.StartsWith("/v2/keys/", StringComparison.Ordinal)
                && steps[i].Method is "PUT" or "POST" or "DELETE"
                && steps[i - 1].Requester == "root:rootpw" && steps[i + 1].Requester == "root:rootpw"
                && run.Exchanges[i].Response.Status == 401)
            {
                refused++;
                run.Exchanges[i + 1].Response.Body.Should().Be(
                    run.Exchanges[i - 1].Response.Body, $"{run.Server.Kind}: the refused {steps[i]} must change nothing");
            }
        }

        if (steps.Skip(13).Any(s => s.Requester is "no credentials" or "unknown user"))
        {
            refused.Should().BeGreaterThan(0, "a requester without rights must have been refused some writes");
        }
    }
}
