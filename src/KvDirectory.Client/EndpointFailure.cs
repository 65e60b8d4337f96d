namespace KvDirectory.Client;

/// <summary>One endpoint failed in a way that makes trying the next endpoint worthwhile.</summary>
public sealed class EndpointFailure : Exception
{
    public EndpointFailure(string message, bool isConnectionError, Exception? inner = null)
        : base(message, inner)
    {
        IsConnectionError = isConnectionError;
    }

    public bool IsConnectionError { get; }
}
