using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Runs a scenario's steps in order against one server and records every answer.</summary>
public static class ScenarioRunner
{
    public static async Task<ServerRun> RunAsync(Scenario scenario, ServerProcess server)
    {
        var rebase = new IndexRebase(await RawHttp.CurrentIndexAsync(server.ClientUrl));
        var exchanges = new List<ExchangeRecord>();
        foreach (var step in scenario.Steps)
        {
            var path = rebase.Resolve(step.PathAndQuery, scenario.Prefix);
            var body = step.Body is null ? null : rebase.Resolve(step.Body, scenario.Prefix);
            var sent = new Step(step.Method, path, body, step.ContentType, step.Mode).ToString();
            HttpSnapshot response;
            try
            {
                response = await RawHttp.SendAsync(server.ClientUrl, step.Method, path, body, step.ContentType);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A transport failure is an answer too: it must show up as a difference, not abort the comparison.
                response = new HttpSnapshot(0, new Dictionary<string, string>(), $"transport error: {e.GetType().Name}: {e.Message}");
            }

            exchanges.Add(new ExchangeRecord(sent, response, step.Mode, step.KeepsListingOrder));
        }

        return new ServerRun(server, rebase, exchanges);
    }

    /// <summary>Reference first, then candidate: each works under the same prefix on its own server.</summary>
    public static async Task CompareAsync(Scenario scenario, ServerPair pair)
    {
        var reference = await RunAsync(scenario, pair.Reference);
        var candidate = await RunAsync(scenario, pair.Candidate);
        await TranscriptDump.WriteAsync(scenario, reference, candidate);
        DifferentialAssert.Identical(scenario.Name, reference, candidate);
    }
}
