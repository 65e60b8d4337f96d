namespace KvDirectory.Client;

/// <summary>The <c>prevExist</c> condition of a write: not sent, must exist (update) or must not exist (create).</summary>
public enum PrevExistCondition
{
    Ignore,
    MustExist,
    MustNotExist,
}
