namespace KvDirectory.Wire;

/// <summary>
/// The only exception a decoder raises for bytes it cannot read: truncated, damaged, of an unknown version, or
/// declaring lengths that do not fit. A <see cref="FormatException"/>, so callers that treat damaged input as such
/// (the WAL replay, the applier, the transport) need not know the toolkit.
/// </summary>
public sealed class WireFormatException : FormatException
{
    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
