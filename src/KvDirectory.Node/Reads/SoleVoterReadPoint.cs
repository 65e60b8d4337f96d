namespace KvDirectory.Node.Reads;

/// <summary>
/// The read point of a member that leads a cluster in which it is the only voter: its own commit index, which no other
/// member can confirm or overtake. A linearizable read there needs no ReadIndex round through the node's thread, only
/// that this member applied up to that point, so an HTTP thread serves it at once (the round cost a wake-up of the
/// node's thread and a completion back per batch of reads: quorum GET ran at ×0.83 of plain GET's throughput).
/// The node's thread publishes the point at the start of every Ready, before it sends or applies anything: a member
/// that the Ready's entries add hears from this one only in a later Ready, whose start withdraws the point.
/// </summary>
internal sealed class SoleVoterReadPoint
{
    // 0: no point (not the sole voter's leader, or not yet confirmed); reads take the ReadIndex round.
    private ulong _index;

    /// <summary>Node thread: the point as of now, or null to send reads through the round.</summary>
    public void Publish(ulong? index) => Volatile.Write(ref _index, index ?? 0);

    /// <summary>Whether a read that arrived before this call may be served with what <paramref name="appliedIndex"/> covers.</summary>
    public bool Covers(ulong appliedIndex)
    {
        var index = Volatile.Read(ref _index);
        return index != 0 && appliedIndex >= index;
    }
}
