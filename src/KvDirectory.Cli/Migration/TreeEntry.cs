using KvDirectory.Protocol.Dump;

namespace KvDirectory.Cli.Migration;

/// <summary>
/// A key or directory read from a source: its dump entry, and its absolute expiry when read live (so a copy made
/// minutes later still gets the TTL the source has left, not the one it had when read).
/// </summary>
public sealed record TreeEntry(KeyDumpEntry Entry, DateTimeOffset? Expiration = null);
