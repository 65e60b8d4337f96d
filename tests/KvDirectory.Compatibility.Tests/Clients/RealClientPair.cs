using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Clients;

/// <summary>The server pair the unmodified real clients talk to.</summary>
public sealed class RealClientPair : ServerPair;
