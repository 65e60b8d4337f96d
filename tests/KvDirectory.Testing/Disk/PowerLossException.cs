namespace KvDirectory.Testing.Disk;

/// <summary>The simulated disk lost power: the operation did not complete, and nothing more will until a restart.</summary>
public sealed class PowerLossException() : IOException("the simulated disk lost power");
