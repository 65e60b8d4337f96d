using KvDirectory.Protocol;

namespace KvDirectory.Store;

public sealed partial class V2Store
{
    /// <summary>Applies one command from the log. Returns the event, or null for the expiry sweep.</summary>
    public EtcdEvent? Apply(StoreCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        switch (command)
        {
            case SetCommand c:
                return Set(c.Path, c.Dir, c.Value, c.ExpireTime, c.Refresh);
            case CreateCommand c:
                return Create(c.Path, c.Dir, c.Value, c.Unique, c.ExpireTime);
            case UpdateCommand c:
                return Update(c.Path, c.Value, c.ExpireTime, c.Refresh);
            case CompareAndSwapCommand c:
                return CompareAndSwap(c.Path, c.PrevValue, c.PrevIndex, c.Value, c.ExpireTime, c.Refresh);
            case DeleteCommand c:
                return Delete(c.Path, c.Dir, c.Recursive);
            case CompareAndDeleteCommand c:
                return CompareAndDelete(c.Path, c.PrevValue, c.PrevIndex);
            case AuthPutCommand c:
                return PutAuth(c.Resource, c.Value, c.PrevExist);
            case AuthDeleteCommand c:
                return DeleteAuth(c.Resource);
            case ExpireKeysCommand c:
                DeleteExpiredKeys(c.Now);
                return null;
            default:
                throw new ArgumentException($"Unknown command type {command.GetType().Name}.", nameof(command));
        }
    }
}
