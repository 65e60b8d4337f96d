using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Plain keys: reads, writes, deletes, HEAD, in-order keys, hidden keys, the read-only root, request body rules.</summary>
public static class KeyScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("GET a missing key is 404 errorCode 100", Get("/a")),
        S("PUT a new key is 201 set", Put("/a", "value=one")),
        S("PUT over an existing key is 200 set with prevNode", Put("/a", "value=one"), Put("/a", "value=two")),
        S("PUT then GET returns the value", Put("/a", "value=one"), Get("/a")),
        S("HEAD an existing key has headers and no body", Put("/a", "value=one"), Head("/a")),
        S("HEAD a missing key is 404 without body", Head("/a")),
        S("DELETE an existing key is 200 delete without value", Put("/a", "value=one"), Delete("/a"), Get("/a")),
        S("DELETE a missing key is 404", Delete("/a")),
        S("PUT without a value stores the empty string", Put("/a"), Get("/a")),
        S("PUT with the value in the query string", Put("/a?value=query"), Get("/a")),
        S("PUT with special characters in the value", Put("/a", "value=a%20b%26c%3D%C3%A9"), Get("/a")),
        S("PUT with a multi-line value", Put("/a", "value=line%0Aline"), Get("/a")),
        S("GET with quorum=true reads the key", Put("/a", "value=one"), Get("/a?quorum=true")),
        S("GET a nested key under a missing parent names the first missing component", Put("/x", "value=one"), Get("/a/b/c")),
        S("GET a key below a file", Put("/a", "value=one"), Get("/a/b")),
        S("PUT a key below a file is 104 not a directory", Put("/a", "value=one"), Put("/a/b", "value=two")),
        S("PUT a deep key creates the parent directories", Put("/a/b/c", "value=one"), Get("/a?recursive=true")),
        S("DELETE a key below a file", Put("/a", "value=one"), Delete("/a/b")),
        S("POST creates in-order keys", Post("/q", "value=one"), Post("/q", "value=two"), Get("/q?sorted=true")),
        S("POST in-order key is readable by its name", Post("/q", "value=one"), Get("/q/{k+1}")),
        S("POST in-order keys listed sorted and recursive", Post("/q", "value=one"), Post("/q", "value=two"), Post("/q", "value=three"), Get("/q?recursive=true&sorted=true")),
        S("POST with ttl", Post("/q", "value=one&ttl=1000"), Get("/q/{k+1}")),
        S("POST onto an existing file", Put("/a", "value=one"), Post("/a", "value=two")),
        S("POST without a value", Post("/q"), Get("/q?sorted=true")),
        S("POST with dir=true creates an in-order directory", Post("/q", "dir=true"), Get("/q?recursive=true")),
        S("Hidden key is not listed but readable by name", Put("/_hidden", "value=one"), Put("/visible", "value=two"), Get("?recursive=true"), Get("/_hidden")),
        S("Hidden directory and its children are not listed", Put("/_d/a", "value=one"), Put("/d/_a", "value=two"), Put("/d/b", "value=three"), Get("?recursive=true&sorted=true")),
        S("Underscore inside a name does not hide it", Put("/a_b", "value=one"), Get("?recursive=true")),
        S("PUT on the root is 107 read-only", Raw("PUT", "/v2/keys/", "value=one")),
        S("DELETE on the root is 107 read-only", Raw("DELETE", "/v2/keys/?recursive=true")),
        S("DELETE on the root with dir=true is 107", Raw("DELETE", "/v2/keys/?dir=true")),
        S("GET the root is a dir without key or indexes", Shape("GET", "/v2/keys/")),
        S("GET /v2/keys without trailing slash", Shape("GET", "/v2/keys")),
        S("JSON content type stores the empty string", new Step("PUT", Keys("/a"), "{\"value\":\"json\"}", "application/json"), Get("/a")),
        S("Body without content type stores the empty string", new Step("PUT", Keys("/a"), "value=nothing", null), Get("/a")),
        S("Form body beats the query string", Put("/a?value=query", "value=body"), Get("/a")),
        S("Duplicate form values: first wins", Put("/a", "value=first&value=second"), Get("/a")),
        S("Duplicate query params: first wins", Put("/a", "value=one"), Put("/a?prevExist=true&prevExist=false", "value=two")),
        S("DELETE ignores a form body", Put("/a", "value=one"), Delete("/a", "prevValue=other")),
        S("noValueOnSuccess drops the node on set", Put("/a?noValueOnSuccess=true", "value=one")),
        S("noValueOnSuccess drops the node on create", Put("/a?noValueOnSuccess=true&prevExist=false", "value=one")),
        S("noValueOnSuccess drops the node on update", Put("/a", "value=one"), Put("/a?noValueOnSuccess=true&prevExist=true", "value=two")),
        S("noValueOnSuccess drops the node on compareAndSwap", Put("/a", "value=one"), Put("/a?noValueOnSuccess=true&prevValue=one", "value=two")),
        S("noValueOnSuccess keeps the node on delete", Put("/a", "value=one"), Delete("/a?noValueOnSuccess=true")),
        S("noValueOnSuccess keeps the node on POST", Post("/q?noValueOnSuccess=true", "value=one")),
        S("noValueOnSuccess on a failing write still reports the error", Put("/a?noValueOnSuccess=true&prevExist=true", "value=one")),
    ];
}
