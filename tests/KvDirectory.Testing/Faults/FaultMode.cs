namespace KvDirectory.Testing.Faults;

/// <summary>How a cut link behaves.</summary>
public enum FaultMode
{
    /// <summary>
    /// Live connections are reset (RST) at once and new ones are accepted then reset, so both ends
    /// learn of the failure within a round trip — a dead link that answers with RST, or a crashed peer.
    /// </summary>
    Reset,

    /// <summary>
    /// Connections stay open but no byte crosses: data waits, in order, until the link heals, exactly as
    /// TCP retransmission holds it during a real partition. New connections are accepted but not carried
    /// to the target until the link heals, like a SYN lost in the network. Only the ends' own timeouts
    /// notice a blackhole.
    /// </summary>
    Blackhole,
}
