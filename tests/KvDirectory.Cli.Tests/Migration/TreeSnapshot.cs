using System.Globalization;
using System.Text.Json;

namespace KvDirectory.Cli.Tests.Migration;

/// <summary>One key or directory as a server answers it, for comparing two trees.</summary>
public sealed record TreeItem(string Key, bool Dir, string? Value, long Ttl);

/// <summary>Reads whole trees (and named hidden keys) over plain HTTP, independent of the code under test.</summary>
public static class TreeSnapshot
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<List<TreeItem>> ReadAsync(string endpoint, string key = "/", params string[] hidden)
    {
        var items = new List<TreeItem>();
        foreach (var path in (string[])[key, .. hidden])
        {
            using var response = await Http.GetAsync($"{endpoint}/v2/keys{(path == "/" ? "/" : path)}?recursive=true&sorted=true");
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                continue;
            }

            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Flatten(document.RootElement.GetProperty("node"), items);
        }

        return [.. items.OrderBy(i => i.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every key equal (value, dir flag) and every TTL within one second, plus the whole seconds between the two reads
    /// (<paramref name="readsApart"/>): a TTL counts down while a large tree is being read.
    /// </summary>
    public static void ShouldMatch(this IReadOnlyList<TreeItem> actual, IReadOnlyList<TreeItem> expected, TimeSpan readsApart = default)
    {
        var slack = 1 + (ulong)Math.Ceiling(readsApart.TotalSeconds);
        actual.Select(i => i.Key).Should().Equal(expected.Select(i => i.Key));
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].Should().BeEquivalentTo(expected[i], o => o.Excluding(x => x.Ttl), expected[i].Key);
            actual[i].Ttl.Should().BeCloseTo(expected[i].Ttl, slack, $"the TTL of {expected[i].Key} (reads {readsApart.TotalMilliseconds:F0} ms apart)");
            (actual[i].Ttl > 0).Should().Be(expected[i].Ttl > 0, $"{expected[i].Key} expires in both or in neither");
        }
    }

    private static void Flatten(JsonElement node, List<TreeItem> into)
    {
        var key = node.TryGetProperty("key", out var k) ? k.GetString()! : "/";
        var dir = node.TryGetProperty("dir", out var d) && d.GetBoolean();
        if (key != "/")
        {
            into.Add(new TreeItem(
                key,
                dir,
                node.TryGetProperty("value", out var v) ? v.GetString() : null,
                node.TryGetProperty("ttl", out var t) ? t.GetInt64() : 0));
        }

        if (node.TryGetProperty("nodes", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Flatten(child, into);
            }
        }
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
