using System.Collections.Concurrent;
using System.Text;

namespace KvDirectory.Fuzz.Tests;

/// <summary>What a run saw: answers by status and endpoint, the connections the server cut, and every broken rule with its repro.</summary>
public sealed class FuzzReport
{
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _byEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private int _requests;

    public int Requests => _requests;

    public IReadOnlyCollection<string> Failures => _failures;

    public IReadOnlyDictionary<string, int> Statuses => _statuses;

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void Record(string endpoint, string outcome)
    {
        _statuses.AddOrUpdate(outcome, 1, static (_, n) => n + 1);
        _byEndpoint.AddOrUpdate(endpoint + " " + outcome, 1, static (_, n) => n + 1);
    }

    public void Fail(string failure) => _failures.Enqueue(failure);

    public string Summary(TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine($"{_requests} requests in {elapsed.TotalSeconds:F1} s ({_requests / Math.Max(elapsed.TotalSeconds, 0.001):F0}/s)");
        text.AppendLine("by status: " + string.Join(", ", _statuses.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        text.AppendLine("by endpoint: " + string.Join(", ", _byEndpoint.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        text.AppendLine($"{_failures.Count} failures");
        foreach (var failure in _failures.Take(30))
        {
            text.AppendLine("  " + failure);
        }

        return text.ToString();
    }
}
