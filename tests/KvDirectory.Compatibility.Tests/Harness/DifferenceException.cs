namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>The candidate answered differently from real etcd; the message holds both answers.</summary>
public sealed class DifferenceException(string message) : Exception(message);
