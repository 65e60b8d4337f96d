namespace KvDirectory.Raft.Tracking;

public enum VoteResult : byte
{
    Pending = 0,
    Won = 1,
    Lost = 2,
}

/// <summary>The current membership, the leader's per-member progress, and the votes of an election.</summary>
internal sealed class ProgressTracker(int maxInflight)
{
    private readonly Dictionary<ulong, bool> _votes = [];

    public Dictionary<ulong, Progress> Progress { get; } = [];

    public ConfState Config { get; private set; } = ConfState.Empty;

    public int MaxInflight { get; } = maxInflight;

    public bool IsVoter(ulong id) => Config.Voters.Contains(id);

    public bool IsLearner(ulong id) => Config.Learners.Contains(id);

    public int Quorum => Config.Voters.Count / 2 + 1;

    public void SetConfig(ConfState config, ulong nextIndex)
    {
        Config = config;
        foreach (var id in Progress.Keys.ToArray())
        {
            if (!config.Voters.Contains(id) && !config.Learners.Contains(id)) Progress.Remove(id);
        }
        foreach (var id in config.Voters.Concat(config.Learners))
        {
            var learner = config.Learners.Contains(id);
            if (Progress.TryGetValue(id, out var existing))
            {
                existing.IsLearner = learner;
            }
            else
            {
                // A newly added member is treated as active so check-quorum does not immediately count it absent.
                Progress[id] = new Progress(nextIndex, MaxInflight, learner) { RecentActive = true };
            }
        }
    }

    /// <summary>The largest index replicated on a quorum of voters.</summary>
    public ulong Committed()
    {
        var voters = Config.Voters;
        if (voters.Count == 0) return ulong.MaxValue;
        Span<ulong> matches = stackalloc ulong[voters.Count];
        for (var i = 0; i < voters.Count; i++)
            matches[i] = Progress.TryGetValue(voters[i], out var p) ? p.Match : 0;
        matches.Sort();
        return matches[voters.Count - Quorum];
    }

    /// <summary>Whether a quorum of voters was recently active, counting the leader itself.</summary>
    public bool QuorumActive(ulong self)
    {
        var active = 0;
        foreach (var id in Config.Voters)
        {
            if (id == self || (Progress.TryGetValue(id, out var p) && p.RecentActive)) active++;
        }
        return active >= Quorum;
    }

    public void ResetVotes() => _votes.Clear();

    public void RecordVote(ulong id, bool granted) => _votes.TryAdd(id, granted);

    public (int Granted, int Rejected, VoteResult Result) TallyVotes()
    {
        int granted = 0, rejected = 0;
        foreach (var id in Config.Voters)
        {
            if (!_votes.TryGetValue(id, out var v)) continue;
            if (v) granted++;
            else rejected++;
        }
        var result = granted >= Quorum ? VoteResult.Won
            : rejected >= Quorum || Config.Voters.Count - rejected < Quorum ? VoteResult.Lost
            : VoteResult.Pending;
        return (granted, rejected, result);
    }
}
