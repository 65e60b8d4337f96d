using KvDirectory.Cluster.Tests.Linearizability;
using KvDirectory.Protocol;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>
/// After the nemesis stopped and the cluster healed: every member must come to hold the identical store (equal
/// <c>/v2/admin/digest</c>), and a quorum read of every key on every member is appended to the history, so a lost
/// acknowledged write is a linearizability anomaly (the final read cannot be explained) rather than a silent pass.
/// </summary>
public sealed class ConvergenceCheck(ThreeNodeCluster cluster, HistoryRecorder recorder, KeyOperationClient client)
{
    /// <summary>Client ids of the final readers: one per member, apart from the workload's.</summary>
    public const int FinalReaderId = 100;

    /// <summary>Polls until every member reports the same index and hash; throws with the last digests seen if they never do.</summary>
    public async Task<StoreDigest> WaitForIdenticalStoresAsync()
    {
        IReadOnlyList<(string, StoreDigest)> last = [];
        try
        {
            await cluster.PollAsync("identical digests on every member", async () =>
            {
                last = await DigestsAsync();
                return DigestAgreement.AllEqual([.. last.Select(d => d.Item2)]);
            });
        }
        catch (TimeoutException error)
        {
            throw new TimeoutException($"members never converged to one store; last digests: {DigestAgreement.Describe(last)}", error);
        }

        return last[0].Item2;
    }

    /// <summary>A quorum GET of every key on every member, each attempt recorded; retried until it has an answer.</summary>
    public async Task ReadEveryKeyEverywhereAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            for (var i = 0; i < cluster.Members.Count; i++)
            {
                var member = cluster.Members[i];
                var input = OperationInput.Get(key);
                await cluster.PollAsync($"a quorum read of {key} on {member.Name}", async () =>
                {
                    var pending = recorder.Call(FinalReaderId + i, input);
                    try
                    {
                        var output = (await client.ExecuteAsync(member.ClientUrl, input)).Output;
                        pending.Return(output);
                        return output.Kind != ResultKind.Unknown;
                    }
                    catch
                    {
                        pending.ReturnUnknown();
                        throw;
                    }
                });
            }
        }
    }

    /// <summary>
    /// Each member's local (non-quorum) value of every key, taken between two equal digest rounds so no write slipped
    /// in between; the members must agree key by key. Returns the agreed values.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> AgreedLocalValuesAsync(IReadOnlyList<string> keys)
    {
        IReadOnlyDictionary<string, string?>? agreed = null;
        var disagreement = string.Empty;
        await cluster.PollAsync("members agreeing on every key", async () =>
        {
            var before = await WaitForIdenticalStoresAsync();
            var values = new Dictionary<(string Member, string Key), string?>();
            foreach (var member in cluster.Members)
            {
                foreach (var key in keys)
                {
                    values[(member.Name, key)] = await cluster.GetAsync(member, key.TrimStart('/'), quorum: false);
                }
            }

            var after = await WaitForIdenticalStoresAsync();
            if (before != after)
            {
                return false; // a late write landed meanwhile (an unknown outcome taking effect): look again
            }

            var differing = keys.Where(k => cluster.Members.Select(m => values[(m.Name, k)]).Distinct().Count() > 1).ToList();
            disagreement = string.Join("; ", differing.Select(k => $"{k}: " + string.Join(", ", cluster.Members.Select(m => $"{m.Name}={values[(m.Name, k)] ?? "<absent>"}"))));
            if (differing.Count > 0)
            {
                throw new InvalidOperationException($"members with identical digests disagree on {disagreement}");
            }

            agreed = keys.ToDictionary(k => k, k => values[(cluster.Members[0].Name, k)], StringComparer.Ordinal);
            return true;
        });
        return agreed!;
    }

    private async Task<IReadOnlyList<(string, StoreDigest)>> DigestsAsync()
    {
        var digests = new List<(string, StoreDigest)>();
        foreach (var member in cluster.Members)
        {
            digests.Add((member.Name, await cluster.DigestAsync(member)));
        }

        return digests;
    }
}
