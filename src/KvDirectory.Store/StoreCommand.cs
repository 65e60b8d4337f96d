namespace KvDirectory.Store;

/// <summary>
/// A mutation as it travels through the Raft log. Everything apply needs is inside it
/// (expiration times are absolute, computed by the proposer), so applying the same
/// commands in the same order gives the same tree on every replica.
/// </summary>
public abstract record StoreCommand;

public sealed record SetCommand(string Path, bool Dir, string Value, DateTimeOffset? ExpireTime, bool Refresh) : StoreCommand;

public sealed record CreateCommand(string Path, bool Dir, string Value, bool Unique, DateTimeOffset? ExpireTime) : StoreCommand;

public sealed record UpdateCommand(string Path, string Value, DateTimeOffset? ExpireTime, bool Refresh) : StoreCommand;

public sealed record CompareAndSwapCommand(string Path, string PrevValue, long PrevIndex, string Value, DateTimeOffset? ExpireTime, bool Refresh) : StoreCommand;

public sealed record DeleteCommand(string Path, bool Dir, bool Recursive) : StoreCommand;

public sealed record CompareAndDeleteCommand(string Path, string PrevValue, long PrevIndex) : StoreCommand;

/// <summary>The periodic sweep: every key whose expiration is at or before <paramref name="Now"/> expires.</summary>
public sealed record ExpireKeysCommand(DateTimeOffset Now) : StoreCommand;

/// <summary>
/// A write to the auth namespace (etcd's <c>/2</c>), e.g. <c>/users/alice</c> with the user's JSON: created when
/// <paramref name="PrevExist"/> is false, replaced when true. Unreachable from the keys API by construction.
/// </summary>
public sealed record AuthPutCommand(string Resource, string Value, bool PrevExist) : StoreCommand;

/// <summary>Removes a user or role from the auth namespace.</summary>
public sealed record AuthDeleteCommand(string Resource) : StoreCommand;
