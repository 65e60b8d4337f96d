using System.Text.Json;

namespace KvDirectory.Testing;

/// <summary>
/// Which member leads, as every asked member sees it (<c>/v2/stats/self</c>, the same on etcd and KvDirectory): exactly
/// one calls itself leader and all the others name it. Test harnesses poll this until it holds.
/// </summary>
public static class AgreedLeader
{
    /// <summary>The position in <paramref name="clientUrls"/> of the agreed leader; null while they do not agree.</summary>
    public static async Task<int?> FindAsync(HttpClient http, IReadOnlyList<Uri> clientUrls, CancellationToken cancellationToken = default)
    {
        var states = new List<(string Id, string State, string Leader)>();
        foreach (var url in clientUrls)
        {
            using var self = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, "/v2/stats/self"), cancellationToken));
            var root = self.RootElement;
            states.Add((root.GetProperty("id").GetString()!, root.GetProperty("state").GetString()!,
                root.GetProperty("leaderInfo").GetProperty("leader").GetString()!));
        }

        var leaders = states.Select((s, i) => (s, i)).Where(p => p.s.State == "StateLeader").ToArray();
        if (leaders.Length != 1 || states.Any(s => s.Leader != leaders[0].s.Id))
        {
            return null;
        }

        return leaders[0].i;
    }
}
