namespace KvDirectory.Client;

/// <summary>One endpoint failed in a way that makes trying the next endpoint worthwhile.</summary>
public sealed class EndpointFailure : Exception
{
    public EndpointFailure(string message, bool isConnectionError, Exception? inner = null, bool neverSent = false)
        : base(message, inner)
    {
        IsConnectionError = isConnectionError;
        NeverSent = neverSent;
    }

    public bool IsConnectionError { get; }

    /// <summary>The request certainly did not reach the server (connection refused, no route, circuit open).</summary>
    public bool NeverSent { get; }
}
