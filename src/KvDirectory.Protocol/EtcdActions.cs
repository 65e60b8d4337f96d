namespace KvDirectory.Protocol;

/// <summary>The <c>action</c> names of v2 events.</summary>
public static class EtcdActions
{
    public const string Get = "get";
    public const string Create = "create";
    public const string Set = "set";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string CompareAndSwap = "compareAndSwap";
    public const string CompareAndDelete = "compareAndDelete";
    public const string Expire = "expire";

    /// <summary>Whether the action takes the node away (what a watch inside a removed directory is told about).</summary>
    public static bool IsRemoval(string action) => action is Delete or Expire or CompareAndDelete;
}
