using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Auth;

/// <summary>Every <c>/v2/auth</c> operation and error, against etcd 3.4 and the candidate: same status, headers and body.</summary>
[Collection(AuthCollection.Name)]
public sealed class AuthOperationTests(AuthPair pair)
{
    private const string RootPassword = "rootpw";
    private static readonly Requester Anonymous = Requester.Anonymous;
    private static readonly Requester Root = Requester.As("root", RootPassword);

    [Fact]
    public async Task Users_roles_and_enabling_answer_as_etcd()
    {
        await AuthScenarioRunner.ResetAsync(pair, RootPassword);
        AuthStep[] steps =
        [
            // Auth off: the lists, and what enabling needs.
            Anonymous.Get("/v2/auth/enable"),
            Anonymous.Get("/v2/auth/users"),
            Anonymous.Get("/v2/auth/roles"),
            Anonymous.Get("/v2/auth/roles/root"),
            Anonymous.Json("PUT", "/v2/auth/enable"),
            Anonymous.Json("DELETE", "/v2/auth/enable"),
            Anonymous.Json("DELETE", "/v2/auth/users/nobody"),
            Anonymous.Json("PUT", "/v2/auth/users/root", """{"user":"root"}"""),
            Anonymous.Json("PUT", "/v2/auth/users/root", """{"user":"root","password":"rootpw"}"""),
            Anonymous.Json("PUT", "/v2/auth/users/root", """{"user":"root","password":"rootpw"}"""),
            Anonymous.Json("PUT", "/v2/auth/users/root", """{"user":"root"}"""),

            // Users: create, update, grant, revoke, and each refusal.
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","password":"a","roles":["reader"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","password":"a","roles":["reader"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"bob","password":"a"}"""),
            Root.Json("PUT", "/v2/auth/users/alice", "garbage"),
            Root.Json("PUT", "/v2/auth/users/alice", ""),
            Root.Json("PUT", "/v2/auth/users/alice", "null"),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":5}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","grant":["reader"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","grant":["writer","extra"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","revoke":["nope"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","revoke":["extra"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","roles":["x"],"grant":["y"]}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice"}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","password":"a2"}"""),
            Root.Json("PUT", "/v2/auth/users/alice", """{"user":"alice","grant":["a","a"]}"""),
            Root.Json("PUT", "/v2/auth/users/carol", """{"USER":"carol","Password":"c","unknown":1}"""),
            Root.Json("PUT", "/v2/auth/users/dave", """{"user":"dave","password":"d"} trailing text"""),
            Root.Json("PUT", "/v2/auth/users/erin", """{"user":"erin","password":"e","roles":[]}"""),
            Root.Json("PUT", "/v2/auth/users/erin", """{"user":"erin","revoke":[]}"""),
            Root.Json("PUT", "/v2/auth/users/frank", """{"user":"frank","grant":["x"]}"""),
            Root.Json("PUT", "/v2/auth/users/frank", """{"user":"frank","password":""}"""),

            // Roles: create, grant, revoke, and each refusal.
            Root.Json("PUT", "/v2/auth/roles/reader", """{"role":"reader","permissions":{"kv":{"read":["/pub*"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/reader", """{"role":"reader"}"""),
            Root.Json("PUT", "/v2/auth/roles/reader", """{"role":"other"}"""),
            Root.Json("PUT", "/v2/auth/roles/reader", "{"),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","permissions":{"kv":{"read":["/rw*"],"write":["/rw*"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","grant":{"kv":{"read":["/rw*"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","grant":{"kv":{"write":["/x","/a"]}},"revoke":{"kv":{"read":["/nothing"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","revoke":{"kv":{"read":["/nothing"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","revoke":{"kv":{"read":["/rw*"],"write":["/rw*","/x","/a"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","permissions":{"kv":{"read":["/z"]}},"grant":{"kv":{"read":["/y"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/writer", """{"role":"writer","grant":{"kv":{"read":["/d","/d"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/ghost", """{"role":"ghost","grant":{"kv":{"read":["/g"]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/nullperm", """{"role":"nullperm","permissions":null}"""),
            Root.Json("PUT", "/v2/auth/roles/esc", """{"role":"esc","permissions":{"kv":{"read":["/<a&b>*"],"write":[]}}}"""),
            Root.Json("PUT", "/v2/auth/roles/root", """{"role":"root"}"""),
            Root.Json("PUT", "/v2/auth/roles/root", """{"role":"root","grant":{"kv":{"read":["/a"]}}}"""),
            Root.Json("DELETE", "/v2/auth/roles/root"),
            Root.Json("DELETE", "/v2/auth/roles/none"),
            Root.Get("/v2/auth/roles/none"),
            Root.Get("/v2/auth/users/none"),
            Root.Get("/v2/auth/roles"),
            Root.Get("/v2/auth/roles/"),
            Root.Get("/v2/auth/roles/root"),
            Root.Get("/v2/auth/roles/writer"),
            Root.Get("/v2/auth/roles/esc"),
            Root.Get("/v2/auth/users"),
            Root.Get("/v2/auth/users/"),
            Root.Get("/v2/auth/users/alice"),
            Root.Get("/v2/auth/users/root"),

            // A user whose role is gone: skipped in the list, an error on its own.
            Root.Json("DELETE", "/v2/auth/roles/reader"),
            Root.Get("/v2/auth/users"),
            Root.Get("/v2/auth/users/alice"),

            // Paths and methods.
            Root.Get("/v2/auth/users/a/b"),
            Root.Get("/v2/auth/roles/a/b/c"),
            Root.Get("/v2/auth"),
            Root.Get("/v2/auth/"),
            Root.Get("/v2/auth/enable/"),
            Root.Json("POST", "/v2/auth/users/alice"),
            Root.Json("POST", "/v2/auth/users"),
            Root.Json("PATCH", "/v2/auth/roles/writer"),
            Root.Json("POST", "/v2/auth/enable"),
            Anonymous.Json("POST", "/v2/auth/users/a/b"),

            // Enabling: the guest role appears; root-only from now on; root cannot go while enabled.
            Root.Json("PUT", "/v2/auth/enable"),
            Root.Json("PUT", "/v2/auth/enable"),
            Anonymous.Get("/v2/auth/enable"),
            Anonymous.Get("/v2/auth/users"),
            Anonymous.Json("PUT", "/v2/auth/enable"),
            Requester.As("alice", "a2").Get("/v2/auth/roles"),
            Root.Get("/v2/auth/roles"),
            Root.Get("/v2/auth/roles/guest"),
            Root.Json("PUT", "/v2/auth/roles/guest", """{"role":"guest"}"""),
            Root.Json("DELETE", "/v2/auth/users/root"),
            Root.Json("DELETE", "/v2/auth/users/dave"),
            Root.Json("DELETE", "/v2/auth/users/dave"),
            Root.Json("DELETE", "/v2/auth/enable"),
            Root.Json("DELETE", "/v2/auth/enable"),
            Anonymous.Get("/v2/auth/enable"),
            Root.Json("DELETE", "/v2/auth/users/root"),
            Anonymous.Json("PUT", "/v2/auth/enable"),

            // Every auth write above took the same etcd indexes as in etcd.
            Anonymous.Form("PUT", "/v2/keys/authops/after", "value=1"),
            Anonymous.Get("/v2/keys/authops/after"),
            Anonymous.Get("/v2/stats/store", CompareMode.Shape),
        ];

        await AuthScenarioRunner.CompareAsync("auth operations", pair, steps);
    }
}
