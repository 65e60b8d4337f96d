namespace KvDirectory.Cluster.Tests;

/// <summary>
/// What the node must show after a crash, given what it showed after the previous restart (the
/// baseline) and the writes of the round. For every key, the last acknowledged write (by modifiedIndex)
/// must be there exactly — unless a write whose outcome is unknown legitimately came after it.
/// </summary>
public sealed class CrashModel
{
    private readonly Dictionary<string, HashSet<string>> _everWritten = new(StringComparer.Ordinal);
    private Dictionary<string, StoredKey> _baseline = new(StringComparer.Ordinal);
    private long _highestIndexSeen;

    public IReadOnlyDictionary<string, StoredKey> Baseline => _baseline;

    /// <summary>Checks the state after a restart against the round's writes; returns every violation found.</summary>
    public List<string> Verify(IReadOnlyCollection<WriteRecord> round, IReadOnlyDictionary<string, StoredKey> observed, long observedEtcdIndex)
    {
        var problems = new List<string>();
        foreach (var write in round.Where(w => w.Value is not null))
        {
            // POSTs are filed under their directory: an unanswered POST's key name is unknown.
            Written(write.Key).Add(write.Value!);
        }

        var acked = round.Where(w => w.Acknowledged).ToList();
        var highestAcked = acked.Count == 0 ? 0 : acked.Max(w => w.EtcdIndex);
        if (observedEtcdIndex < highestAcked)
        {
            problems.Add($"X-Etcd-Index went backwards: {observedEtcdIndex} after restart, but a write was acknowledged at {highestAcked}");
        }

        if (observedEtcdIndex < _highestIndexSeen)
        {
            problems.Add($"X-Etcd-Index went backwards: {observedEtcdIndex} after restart, {_highestIndexSeen} before");
        }

        var keys = new HashSet<string>(_baseline.Keys, StringComparer.Ordinal);
        keys.UnionWith(observed.Keys);
        keys.UnionWith(acked.Select(w => w.AnsweredKey!));
        keys.UnionWith(round.Where(w => w.Kind != WriteKind.PostInOrder).Select(w => w.Key));
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            observed.TryGetValue(key, out var actual);
            var writtenUnder = key.StartsWith(CrashWorkload.QueueDirectory + "/", StringComparison.Ordinal) ? CrashWorkload.QueueDirectory : key;
            if (actual is not null && !Written(writtenUnder).Contains(actual.Value))
            {
                problems.Add($"{key} = '{actual.Value}' @{actual.ModifiedIndex}: a value nobody wrote to this key (half-applied or misplaced write)");
                continue;
            }

            if (key.StartsWith(CrashWorkload.ShortTtlPrefix, StringComparison.Ordinal))
            {
                // Short TTLs may expire at any time around the crash: only the value check above applies.
                continue;
            }

            var problem = key.StartsWith(CrashWorkload.QueueDirectory + "/", StringComparison.Ordinal)
                ? VerifyQueueKey(key, actual, round)
                : VerifyRegularKey(key, actual, round);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        _baseline = new Dictionary<string, StoredKey>(observed, StringComparer.Ordinal);
        _highestIndexSeen = Math.Max(_highestIndexSeen, Math.Max(observedEtcdIndex, highestAcked));
        return problems;
    }

    private string? VerifyRegularKey(string key, StoredKey? actual, IReadOnlyCollection<WriteRecord> round)
    {
        var writes = round.Where(w => w.Key == key).ToList();
        var last = writes.Where(w => w.Acknowledged).MaxBy(w => w.ModifiedIndex);
        var unknown = writes.Where(w => !w.Acknowledged).ToList();

        // The expected state: the last acknowledged write of the round, or what the previous restart showed.
        _baseline.TryGetValue(key, out var before);
        var expectPresent = last is null ? before is not null : !last.RemovesKey;
        var expectedValue = last is null ? before?.Value : last.Value;
        var expectedIndex = last?.ModifiedIndex ?? before?.ModifiedIndex ?? 0;
        var expectedTtl = last is null ? before?.Ttl is not null : last.Ttl is not null;

        if (!expectPresent && actual is null)
        {
            return null;
        }

        if (expectPresent && actual is not null && actual.Value == expectedValue && actual.ModifiedIndex == expectedIndex)
        {
            return (actual.Ttl is not null) == expectedTtl
                ? null
                : $"{key} = '{actual.Value}' @{actual.ModifiedIndex}: ttl {actual.Ttl?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, expected {(expectedTtl ? "a ttl" : "none")}";
        }

        // Otherwise only a write with an unknown outcome, applied after the expected one, explains it.
        var explained = actual is null
            ? unknown.Any(w => w.RemovesKey)
            : actual.ModifiedIndex > expectedIndex && unknown.Any(w => w.Value == actual.Value);
        if (explained)
        {
            return null;
        }

        var expected = expectPresent ? $"'{expectedValue}' @{expectedIndex}" : $"absent (deleted @{expectedIndex})";
        var found = actual is null ? "absent" : $"'{actual.Value}' @{actual.ModifiedIndex}";
        return $"{key}: expected {expected}, found {found}; last acked: {last?.ToString() ?? "none (baseline " + (before?.ToString() ?? "absent") + ")"}; unknown-outcome writes: [{string.Join("; ", unknown)}]";
    }

    private string? VerifyQueueKey(string key, StoredKey? actual, IReadOnlyCollection<WriteRecord> round)
    {
        var ackedPost = round.FirstOrDefault(w => w.Acknowledged && w.AnsweredKey == key);
        _baseline.TryGetValue(key, out var before);
        if (ackedPost is not null)
        {
            return actual is not null && actual.Value == ackedPost.Value && actual.ModifiedIndex == ackedPost.ModifiedIndex
                ? null
                : $"{key}: acknowledged {ackedPost}, found {(actual is null ? "absent" : $"'{actual.Value}' @{actual.ModifiedIndex}")}";
        }

        if (before is not null)
        {
            return actual == before ? null : $"{key}: was '{before.Value}' @{before.ModifiedIndex} before the crash, found {(actual is null ? "absent" : $"'{actual.Value}' @{actual.ModifiedIndex}")}";
        }

        // A queue key nobody was told about: only a POST without an answer can have made it.
        return round.Any(w => w.Kind == WriteKind.PostInOrder && !w.Acknowledged && w.Value == actual?.Value)
            ? null
            : $"{key} = '{actual?.Value}': an in-order key no POST of this round explains";
    }

    private HashSet<string> Written(string key)
    {
        if (!_everWritten.TryGetValue(key, out var values))
        {
            values = new HashSet<string>(StringComparer.Ordinal);
            _everWritten[key] = values;
        }

        return values;
    }
}
