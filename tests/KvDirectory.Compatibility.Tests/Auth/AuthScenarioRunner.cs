using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Auth;

/// <summary>Runs auth steps on etcd and on the candidate and compares them as the scenario runner does.</summary>
public static class AuthScenarioRunner
{
    /// <summary>Where the auth scenarios keep their keys.</summary>
    public static readonly string[] ScenarioPrefixes = ["/m", "/authops"];

    public static async Task CompareAsync(string name, ServerPair pair, IReadOnlyList<AuthStep> steps)
    {
        var reference = await RunAsync(pair.Reference, steps);
        var candidate = await RunAsync(pair.Candidate, steps);
        DifferentialAssert.Identical(name, reference, candidate);
    }

    public static async Task<ServerRun> RunAsync(ServerProcess server, IReadOnlyList<AuthStep> steps)
    {
        var rebase = new IndexRebase(await RawHttp.CurrentIndexAsync(server.ClientUrl));
        var exchanges = new List<ExchangeRecord>();
        foreach (var template in steps)
        {
            // {i+N} is the scenario's N-th index on this server, as in the table-driven scenarios.
            var step = template with { PathAndQuery = rebase.Resolve(template.PathAndQuery, string.Empty) };
            exchanges.Add(new ExchangeRecord(step.ToString(), await step.SendAsync(server.ClientUrl), step.Mode, KeepsListingOrder: false));
        }

        return new ServerRun(server, rebase, exchanges);
    }

    /// <summary>
    /// Puts a server back to "auth off, no users, no roles" without comparing anything (both servers get the same
    /// requests, so their histories stay alike). Works whatever state a previous test left.
    /// </summary>
    public static async Task ResetAsync(ServerPair pair, string rootPassword)
    {
        var root = Requester.As("root", rootPassword);
        foreach (var server in pair.Both)
        {
            await root.Json("DELETE", "/v2/auth/enable").SendAsync(server.ClientUrl);
            foreach (var name in await NamesAsync(server, "/v2/auth/users", "users", "user"))
            {
                await root.Json("DELETE", "/v2/auth/users/" + name).SendAsync(server.ClientUrl);
            }

            foreach (var name in await NamesAsync(server, "/v2/auth/roles", "roles", "role"))
            {
                await root.Json("DELETE", "/v2/auth/roles/" + name).SendAsync(server.ClientUrl);
            }

            // Keys made before a scenario's index base would show indexes that differ between the servers.
            foreach (var prefix in ScenarioPrefixes)
            {
                await RawHttp.SendAsync(server.ClientUrl, "DELETE", $"/v2/keys{prefix}?recursive=true");
            }
        }
    }

    private static async Task<IReadOnlyList<string>> NamesAsync(ServerProcess server, string path, string list, string field)
    {
        var answer = await RawHttp.SendAsync(server.ClientUrl, "GET", path);
        using var json = System.Text.Json.JsonDocument.Parse(answer.Body);
        return json.RootElement.GetProperty(list) is { ValueKind: System.Text.Json.JsonValueKind.Array } items
            ? [.. items.EnumerateArray().Select(item => item.GetProperty(field).GetString()!)]
            : [];
    }
}
