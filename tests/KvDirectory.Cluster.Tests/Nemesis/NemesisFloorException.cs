namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>A run that fell short of its <see cref="NemesisFloors"/>: it passed nothing, whatever the checker said.</summary>
public sealed class NemesisFloorException(string message) : Exception(message);
