namespace KvDirectory.Raft.Tracking;

/// <summary>The leader's view of one follower's log.</summary>
internal sealed class Progress(ulong next, int maxInflight, bool isLearner)
{
    public ulong Match { get; private set; }

    public ulong Next { get; private set; } = next;

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>The snapshot index being sent while in <see cref="ProgressState.Snapshot"/>.</summary>
    public ulong PendingSnapshot { get; private set; }

    /// <summary>Heard from since the last check-quorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>In probe state, an append was sent and further ones wait for a reply or a heartbeat.</summary>
    public bool ProbeSent { get; private set; }

    public Inflights Inflights { get; } = new(maxInflight);

    public bool IsLearner { get; set; } = isLearner;

    /// <summary>Forgets everything learnt about the follower; used when a new term begins.</summary>
    public void Reset(ulong next, ulong match)
    {
        ResetState(ProgressState.Probe);
        Next = next;
        Match = match;
        RecentActive = false;
    }

    public void BecomeProbe()
    {
        // After a snapshot, the follower has at least the snapshot; probe from just past it.
        if (State == ProgressState.Snapshot)
        {
            var pending = PendingSnapshot;
            ResetState(ProgressState.Probe);
            Next = Math.Max(Match + 1, pending + 1);
        }
        else
        {
            ResetState(ProgressState.Probe);
            Next = Match + 1;
        }
    }

    public void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    /// <summary>The snapshot did not arrive: probing must restart from what the follower is known to have.</summary>
    public void SnapshotFailed() => PendingSnapshot = 0;

    private void ResetState(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }

    /// <summary>Records an append sent up to <paramref name="lastIndex"/> (pipelining moves Next ahead).</summary>
    public void SentEntries(int count, ulong lastIndex)
    {
        switch (State)
        {
            case ProgressState.Replicate:
                if (count > 0)
                {
                    Next = lastIndex + 1;
                    Inflights.Add(lastIndex);
                }
                break;
            case ProgressState.Probe:
                ProbeSent = true;
                break;
        }
    }

    public void ResumeProbe() => ProbeSent = false;

    /// <summary>A successful append response up to <paramref name="index"/>; false when it was stale.</summary>
    public bool MaybeUpdate(ulong index)
    {
        var updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            ProbeSent = false;
        }
        Next = Math.Max(Next, index + 1);
        return updated;
    }

    /// <summary>
    /// A rejected append at <paramref name="rejected"/> with the follower's hint; returns false when the
    /// rejection is stale (refers to an append sent before the current state began).
    /// </summary>
    public bool MaybeDecrTo(ulong rejected, ulong matchHint)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejected <= Match) return false;
            Next = Match + 1;
            return true;
        }
        if (Next - 1 != rejected) return false;
        Next = Math.Max(Math.Min(rejected, matchHint + 1), 1);
        ProbeSent = false;
        return true;
    }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.IsFull,
        _ => true,
    };

    public override string ToString() => $"{State} match={Match} next={Next}" + (IsLearner ? " learner" : string.Empty);
}
