namespace KvDirectory.Transport.Tls;

/// <summary>An inbound peer's certificate was valid but may not be used from where it connected: logged as a warning.</summary>
public sealed class PeerCertificateRejectedException(string message) : IOException(message);
