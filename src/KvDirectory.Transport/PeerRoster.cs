namespace KvDirectory.Transport;

/// <summary>One member as the transport needs it: whom to dial, by which name to log it.</summary>
public sealed record PeerMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls);

/// <summary>
/// The members the node last told the transport about: the ones to dial and accept, and the removed ones to turn
/// away with a notice. Immutable, swapped whole.
/// </summary>
public sealed record PeerRoster(ulong LocalMemberId, IReadOnlyList<PeerMember> Members, IReadOnlySet<ulong> RemovedIds)
{
    public static PeerRoster Empty { get; } = new(0, [], new HashSet<ulong>());

    public bool Contains(ulong memberId) => Members.Any(m => m.Id == memberId);
}
