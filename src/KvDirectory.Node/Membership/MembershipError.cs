namespace KvDirectory.Node.Membership;

/// <summary>Why a membership change was refused; the text of each is etcd's.</summary>
public enum MembershipError
{
    IdExists,
    PeerUrlExists,
    IdNotFound,
    IdRemoved,
    NotEnoughStartedMembers,
}

/// <summary>A membership change refused either before it was proposed or when its entry was applied.</summary>
public sealed class MembershipException(MembershipError error) : Exception(Describe(error))
{
    public MembershipError Error { get; } = error;

    public static string Describe(MembershipError error) => error switch
    {
        MembershipError.IdExists => "membership: ID exists",
        MembershipError.PeerUrlExists => "membership: peerURL exists",
        MembershipError.IdNotFound => "membership: ID not found",
        MembershipError.IdRemoved => "membership: ID removed",
        _ => "etcdserver: re-configuration failed due to not enough started members",
    };
}
