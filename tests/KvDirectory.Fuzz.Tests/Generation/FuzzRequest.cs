namespace KvDirectory.Fuzz.Tests.Generation;

/// <summary>How the client behaves after sending the bytes.</summary>
public enum Delivery
{
    /// <summary>Reads <see cref="FuzzRequest.Responses"/> responses (a parked watch is abandoned after its headers).</summary>
    Read,

    /// <summary>Closes at once: a truncated request, a body shorter than announced, a client that leaves early.</summary>
    CloseAfterSend,

    /// <summary>Bytes whose number of answers is not known (garbage, bad framing): reads what comes until the server is quiet.</summary>
    ReadUntilQuiet,
}

/// <summary>
/// One generated exchange: the exact bytes sent and what the oracle may expect of the answers.
/// <paramref name="Endpoint"/> is the endpoint group (keys, members, stats, …), <paramref name="Kind"/> the generator branch.
/// </summary>
public sealed record FuzzRequest(
    string Kind,
    string Endpoint,
    byte[] Bytes,
    Delivery Delivery,
    int Responses = 1,
    bool IsHead = false,
    bool WellFramed = true,
    bool MayPark = false,
    bool VersionNotSupported = false,
    bool KestrelRefuses = false);
