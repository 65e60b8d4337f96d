namespace KvDirectory.Testing.Faults;

/// <summary>One way through a <see cref="FaultProxy"/>, named from the dialer's point of view.</summary>
public enum Direction
{
    /// <summary>Bytes the dialing side (the proxy's client) sends to the target.</summary>
    Upstream,

    /// <summary>Bytes the target sends back to the dialing side.</summary>
    Downstream,
}
