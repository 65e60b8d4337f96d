namespace KvDirectory.Client;

/// <summary>
/// Every endpoint failed (connection error, timeout or 5xx). The message is the Go client's, word for word,
/// because scripts written for etcdctl match on it.
/// </summary>
public sealed class ClusterException : Exception
{
    public ClusterException(IReadOnlyList<string> errors, bool allConnectionErrors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
        AllConnectionErrors = allConnectionErrors;
    }

    public IReadOnlyList<string> Errors { get; }

    /// <summary>
    /// A non-idempotent call (a conditional PUT, a POST, a DELETE) may or may not have been applied: an endpoint failed
    /// after the request may have reached it, so it was not sent anywhere else. Read the key to find out.
    /// </summary>
    public bool OutcomeUnknown { get; init; }

    /// <summary>True when no endpoint could be reached at all (etcdctl's exit code 2), false if one answered with an error.</summary>
    public bool AllConnectionErrors { get; }

    /// <summary>One line per endpoint error, as etcdctl prints after the message.</summary>
    public string Detail => string.Concat(Errors.Select((e, i) => $"error #{i}: {e}\n"));

    private static string FormatMessage(IReadOnlyList<string> errors) =>
        "client: etcd cluster is unavailable or misconfigured" + string.Concat(errors.Select((e, i) => $"; error #{i}: {e}\n"));
}
