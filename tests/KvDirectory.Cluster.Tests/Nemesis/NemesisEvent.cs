using System.Globalization;

namespace KvDirectory.Cluster.Tests.Nemesis;

/// <summary>One line of the nemesis's timeline: when (since the run started) it did what to whom.</summary>
public sealed record NemesisEvent(TimeSpan At, string What)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"+{At.TotalSeconds,6:F2}s  {What}");
}
