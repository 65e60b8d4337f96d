namespace KvDirectory.Testing.Faults;

/// <summary>
/// The one-way delay a link adds to every chunk: <see cref="Delay"/> plus a uniform random extra in
/// [0, <see cref="Jitter"/>] drawn from a seeded generator, so a failing run can be replayed.
/// </summary>
public sealed record Latency(TimeSpan Delay, TimeSpan Jitter, int Seed)
{
    public static readonly Latency None = new(TimeSpan.Zero, TimeSpan.Zero, 0);

    public bool IsNone => Delay <= TimeSpan.Zero && Jitter <= TimeSpan.Zero;
}
