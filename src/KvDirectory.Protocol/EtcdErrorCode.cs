namespace KvDirectory.Protocol;

/// <summary>The numeric error codes of the etcd v2 API, as clients branch on them.</summary>
public static class EtcdErrorCode
{
    public const int KeyNotFound = 100;
    public const int TestFailed = 101;
    public const int NotFile = 102;
    public const int NoMorePeer = 103;
    public const int NotDir = 104;
    public const int NodeExist = 105;
    public const int KeyIsPreserved = 106;
    public const int RootReadOnly = 107;
    public const int DirNotEmpty = 108;
    public const int ExistingPeerAddress = 109;
    public const int Unauthorized = 110;

    public const int ValueRequired = 200;
    public const int PrevValueRequired = 201;
    public const int TtlNaN = 202;
    public const int IndexNaN = 203;
    public const int ValueOrTtlRequired = 204;
    public const int TimeoutNaN = 205;
    public const int NameRequired = 206;
    public const int IndexOrValueRequired = 207;
    public const int IndexValueMutex = 208;
    public const int InvalidField = 209;
    public const int InvalidForm = 210;
    public const int RefreshValue = 211;
    public const int RefreshTtlRequired = 212;

    public const int RaftInternal = 300;
    public const int LeaderElect = 301;

    public const int WatcherCleared = 400;
    public const int EventIndexCleared = 401;
    public const int StandbyInternal = 402;
    public const int InvalidActiveSize = 403;
    public const int InvalidRemoveDelay = 404;

    /// <summary>Ours, not etcd's (etcd has no watcher limit): a watch refused because this member holds as many as it may.</summary>
    public const int TooManyWatchers = 405;

    public const int ClientInternal = 500;
}
