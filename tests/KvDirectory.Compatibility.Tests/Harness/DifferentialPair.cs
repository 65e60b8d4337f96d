namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>The server pair of the differential collection.</summary>
public sealed class DifferentialPair : ServerPair;
