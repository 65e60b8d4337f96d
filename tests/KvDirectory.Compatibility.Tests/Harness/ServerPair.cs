using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>A reference etcd and a candidate started side by side; every comparison runs the same steps on both.</summary>
public class ServerPair : IAsyncLifetime
{
    private ServerProcess? _reference;
    private ServerProcess? _candidate;

    public ServerProcess Reference => _reference ?? throw new InvalidOperationException("not started");

    public ServerProcess Candidate => _candidate ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<ServerProcess> Both => [Reference, Candidate];

    /// <summary>Extra flags for our server only (for example a history size equal to etcd's).</summary>
    protected virtual IEnumerable<string> CandidateArguments => [];

    public async Task InitializeAsync()
    {
        var reference = ServerProcess.StartEtcdAsync();
        var candidate = CandidateKind.StartAsync(CandidateArguments);
        try
        {
            await Task.WhenAll(reference, candidate);
        }
        catch
        {
            await DisposeStartedAsync(reference);
            await DisposeStartedAsync(candidate);
            throw;
        }

        _reference = reference.Result;
        _candidate = candidate.Result;
        ReferenceVersion.Require((await RawHttp.SendAsync(_reference.ClientUrl, "GET", "/version")).Body);
        await OffsetIndexAsync(_candidate);
    }

    public async Task DisposeAsync()
    {
        if (_reference is not null)
        {
            await _reference.DisposeAsync();
        }

        if (_candidate is not null)
        {
            await _candidate.DisposeAsync();
        }
    }

    /// <summary>
    /// Two fresh etcds count identically, which would let an etcd-vs-etcd run pass even with index normalisation
    /// broken; a few writes to a hidden key put the candidate's counter ahead so the rebasing is exercised too.
    /// It also moves a fresh KvDirectory (which starts at index 0) off 0, etcd's "no index" in validation errors.
    /// </summary>
    private static async Task OffsetIndexAsync(ServerProcess candidate)
    {
        for (var i = 0; i < 7; i++)
        {
            var answer = await RawHttp.SendAsync(candidate.ClientUrl, "PUT", "/v2/keys/_harness-index-offset", "value=x");
            if (answer.Status >= 300)
            {
                throw new InvalidOperationException($"could not offset the candidate's index: {answer}");
            }
        }
    }

    private static async Task DisposeStartedAsync(Task<ServerProcess> start)
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync();
        }
    }
}
