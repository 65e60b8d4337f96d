using KvDirectory.Node.Proposals;
using KvDirectory.Raft;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Membership;

/// <summary>
/// Publishes this member's name and client URLs through the log (<see cref="MemberAttributes"/>) whenever the
/// replicated member list shows other ones: after its first start, after a restart with changed flags, after joining.
/// Proposed again after <paramref name="retryAfter"/> until applied (an entry can be lost in a leader change).
/// Node thread only.
/// </summary>
internal sealed partial class AttributesPublisher(RawNode node, MemberList members, MemberAttributes mine, TimeSpan retryAfter, TimeProvider time, ILogger logger)
{
    private long _proposedAt;

    // The member list (swapped whole on every change) last seen showing these attributes: the loop asks after every
    // Ready, and searching the list each time cost allocations on every read and write.
    private ClusterState? _shownBy;

    public void MaybePublish(long now, SoftState softState)
    {
        var replicated = members.Replicated;
        if (ReferenceEquals(replicated, _shownBy) || softState.Lead == 0 || replicated.Find(mine.MemberId) is not { } shown)
        {
            return;
        }

        if (mine.AreShownBy(shown))
        {
            _shownBy = replicated;
            return;
        }

        if (_proposedAt != 0 && time.GetElapsedTime(_proposedAt, now) < retryAfter)
        {
            return;
        }

        _proposedAt = now;
        if (node.TryPropose([ProposalPayload.EncodeAttributes(mine)]))
        {
            LogPublishing(logger, mine.MemberId, mine.Name, string.Join(",", mine.ClientUrls));
        }
    }

    [LoggerMessage(EventId = 2016, Level = LogLevel.Information, Message = "Publishing this member's attributes through the log: member {MemberId:x}, name {Name}, client URLs {ClientUrls}")]
    private static partial void LogPublishing(ILogger logger, ulong memberId, string name, string clientUrls);
}
