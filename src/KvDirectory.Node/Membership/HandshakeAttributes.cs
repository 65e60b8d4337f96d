using System.Collections.Concurrent;
using KvDirectory.Transport;

namespace KvDirectory.Node.Membership;

/// <summary>
/// A member announces its name and client URLs in its peer handshake (a member added at runtime has neither in the
/// log). The latest handshake of each member is kept, and applied again after every membership change: a connection
/// outlives changes that rebuild the member list, and would not announce itself twice.
/// </summary>
internal sealed class HandshakeAttributes(ClusterStateHolder cluster)
{
    private readonly ConcurrentDictionary<ulong, PeerHandshake> _handshakes = new();

    /// <summary>Called on transport threads.</summary>
    public void Learn(PeerHandshake handshake)
    {
        _handshakes[handshake.MemberId] = handshake;
        Apply();
    }

    public void Apply()
    {
        if (_handshakes.IsEmpty)
        {
            return;
        }

        cluster.Update(state =>
        {
            var changed = false;
            var members = state.Members.Select(member =>
            {
                if (member.Id == state.LocalMemberId || !_handshakes.TryGetValue(member.Id, out var handshake) ||
                    (member.ClientUrls.SequenceEqual(handshake.ClientUrls) && member.Name == handshake.Name))
                {
                    return member;
                }

                changed = true;
                return member with { Name = handshake.Name, ClientUrls = [.. handshake.ClientUrls] };
            }).ToArray();
            return changed ? state with { Members = members } : state;
        });
    }
}
