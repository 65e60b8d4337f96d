using System.Collections.Frozen;

namespace KvDirectory.Protocol;

/// <summary>
/// The one table that maps an etcd error code to its message and HTTP status.
/// Messages are etcd's, word for word: clients and scripts match on them.
/// </summary>
public static class EtcdErrorTable
{
    private static readonly FrozenDictionary<int, string> Messages = new Dictionary<int, string>
    {
        [EtcdErrorCode.KeyNotFound] = "Key not found",
        [EtcdErrorCode.TestFailed] = "Compare failed",
        [EtcdErrorCode.NotFile] = "Not a file",
        [EtcdErrorCode.NoMorePeer] = "Reached the max number of peers in the cluster",
        [EtcdErrorCode.NotDir] = "Not a directory",
        [EtcdErrorCode.NodeExist] = "Key already exists",
        [EtcdErrorCode.KeyIsPreserved] = "The prefix of given key is a keyword in etcd",
        [EtcdErrorCode.RootReadOnly] = "Root is read only",
        [EtcdErrorCode.DirNotEmpty] = "Directory not empty",
        [EtcdErrorCode.ExistingPeerAddress] = "Peer address has existed",
        [EtcdErrorCode.Unauthorized] = "The request requires user authentication",
        [EtcdErrorCode.ValueRequired] = "Value is Required in POST form",
        [EtcdErrorCode.PrevValueRequired] = "PrevValue is Required in POST form",
        [EtcdErrorCode.TtlNaN] = "The given TTL in POST form is not a number",
        [EtcdErrorCode.IndexNaN] = "The given index in POST form is not a number",
        [EtcdErrorCode.ValueOrTtlRequired] = "Value or TTL is required in POST form",
        [EtcdErrorCode.TimeoutNaN] = "The given timeout in POST form is not a number",
        [EtcdErrorCode.NameRequired] = "Name is required in POST form",
        [EtcdErrorCode.IndexOrValueRequired] = "Index or value is required",
        [EtcdErrorCode.IndexValueMutex] = "Index and value cannot both be specified",
        [EtcdErrorCode.InvalidField] = "Invalid field",
        [EtcdErrorCode.InvalidForm] = "Invalid POST form",
        [EtcdErrorCode.RefreshValue] = "Value provided on refresh",
        [EtcdErrorCode.RefreshTtlRequired] = "A TTL must be provided on refresh",
        [EtcdErrorCode.RaftInternal] = "Raft Internal Error",
        [EtcdErrorCode.LeaderElect] = "During Leader Election",
        [EtcdErrorCode.WatcherCleared] = "watcher is cleared due to etcd recovery",
        [EtcdErrorCode.EventIndexCleared] = "The event in requested index is outdated and cleared",
        [EtcdErrorCode.StandbyInternal] = "Standby Internal Error",
        [EtcdErrorCode.InvalidActiveSize] = "Invalid active size",
        [EtcdErrorCode.InvalidRemoveDelay] = "Standby remove delay",
        [EtcdErrorCode.TooManyWatchers] = "Too many watchers",
        [EtcdErrorCode.ClientInternal] = "Client Internal Error",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<int, int> Statuses = new Dictionary<int, int>
    {
        [EtcdErrorCode.KeyNotFound] = 404,
        [EtcdErrorCode.NotFile] = 403,
        [EtcdErrorCode.DirNotEmpty] = 403,
        [EtcdErrorCode.Unauthorized] = 401,
        [EtcdErrorCode.TestFailed] = 412,
        [EtcdErrorCode.NodeExist] = 412,
        [EtcdErrorCode.RaftInternal] = 500,
        [EtcdErrorCode.LeaderElect] = 500,
        [EtcdErrorCode.TooManyWatchers] = 429,
    }.ToFrozenDictionary();

    /// <summary>etcd's message for the code, or an empty string for a code etcd does not know.</summary>
    public static string MessageFor(int errorCode) => Messages.GetValueOrDefault(errorCode, string.Empty);

    /// <summary>The HTTP status etcd answers with; every code not listed is 400, as in etcd.</summary>
    public static int HttpStatusFor(int errorCode) => Statuses.GetValueOrDefault(errorCode, 400);
}
