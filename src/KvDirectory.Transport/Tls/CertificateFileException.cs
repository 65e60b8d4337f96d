namespace KvDirectory.Transport.Tls;

/// <summary>A certificate, key or CA file a flag names cannot be used; the message names the flag and the file.</summary>
public sealed class CertificateFileException(string flag, string path, string reason, Exception? inner = null)
    : Exception($"{flag} {path}: {reason}", inner)
{
    public string Flag { get; } = flag;
}
