namespace KvDirectory.Protocol;

/// <summary>
/// An etcd v2 API error: the store, the request parser and the client all raise it,
/// and the HTTP layer turns it into etcd's JSON error with etcd's status.
/// </summary>
public sealed class EtcdException : Exception
{
    public EtcdException(int errorCode, string? cause = null, long index = 0)
        : base(FormatMessage(errorCode, cause))
    {
        ErrorCode = errorCode;
        Cause = string.IsNullOrEmpty(cause) ? null : cause;
        Index = index;
    }

    public int ErrorCode { get; }

    public string? Cause { get; }

    /// <summary>The etcd index at the time of the error (0 for request validation errors).</summary>
    public long Index { get; }

    public int HttpStatus => EtcdErrorTable.HttpStatusFor(ErrorCode);

    public EtcdError ToError() => new()
    {
        ErrorCode = ErrorCode,
        Message = EtcdErrorTable.MessageFor(ErrorCode),
        Cause = Cause,
        Index = Index,
    };

    public static EtcdException FromError(EtcdError error) => new(error.ErrorCode, error.Cause, error.Index);

    private static string FormatMessage(int errorCode, string? cause) =>
        $"{EtcdErrorTable.MessageFor(errorCode)} ({cause})";
}
