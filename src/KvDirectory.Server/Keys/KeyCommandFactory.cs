using KvDirectory.Store;

namespace KvDirectory.Server.Keys;

/// <summary>
/// Maps a write request onto the store command etcd would apply for it (PUT → set/create/update/compareAndSwap,
/// DELETE → delete/compareAndDelete, POST → in-order create). The expiration is fixed here, by the proposer,
/// so that applying the command is deterministic on every replica.
/// </summary>
public static class KeyCommandFactory
{
    public static StoreCommand Create(KeyRequest request, DateTimeOffset now)
    {
        DateTimeOffset? expireTime = request.Ttl is { } ttl ? now.AddSeconds(Math.Min(ttl, (ulong)int.MaxValue)) : null;
        var refresh = request.Refresh ?? false;
        var hasCondition = request.PrevIndex > 0 || request.PrevValue.Length > 0;

        return request.Method switch
        {
            "PUT" => request.PrevExist switch
            {
                true when !hasCondition => new UpdateCommand(request.Path, request.Value, expireTime, refresh),
                true => new CompareAndSwapCommand(request.Path, request.PrevValue, request.PrevIndex, request.Value, expireTime, refresh),
                false => new CreateCommand(request.Path, request.Dir, request.Value, Unique: false, expireTime),
                null when hasCondition => new CompareAndSwapCommand(request.Path, request.PrevValue, request.PrevIndex, request.Value, expireTime, refresh),
                null => new SetCommand(request.Path, request.Dir, request.Value, expireTime, refresh),
            },
            "POST" => new CreateCommand(request.Path, request.Dir, request.Value, Unique: true, expireTime),
            "DELETE" => hasCondition
                ? new CompareAndDeleteCommand(request.Path, request.PrevValue, request.PrevIndex)
                : new DeleteCommand(request.Path, request.Dir, request.Recursive),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Method, "not a write method"),
        };
    }
}
