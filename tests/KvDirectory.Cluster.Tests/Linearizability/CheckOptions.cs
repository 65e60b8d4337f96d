using System.Diagnostics;

namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// Limits that turn a pathological search into an "unknown" verdict instead of a hung test run.
/// The search is NP-complete in general; realistic histories finish far inside these limits.
/// </summary>
public sealed record CheckOptions
{
    public static CheckOptions Default { get; } = new();

    /// <summary>Wall-clock budget for the whole history, minimisation of a violation included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Search steps (an operation tried or undone) for the whole history.</summary>
    public long MaxSteps { get; init; } = 200_000_000;

    /// <summary>Whether to search for the shortest failing prefix of a violating key (costs extra checks).</summary>
    public bool Minimize { get; init; } = true;
}

/// <summary>The remaining budget, shared by every key of one check.</summary>
internal sealed class SearchBudget(CheckOptions options)
{
    private readonly long _deadline = Stopwatch.GetTimestamp() + (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
    private long _stepsLeft = options.MaxSteps;

    public long Steps { get; private set; }

    public bool Exhausted { get; private set; }

    /// <summary>Charges one step; false once the budget is spent. Reads the clock only every 4096 steps.</summary>
    public bool TrySpend()
    {
        if (Exhausted)
        {
            return false;
        }

        Steps++;
        if (--_stepsLeft < 0 || ((Steps & 4095) == 0 && Stopwatch.GetTimestamp() > _deadline))
        {
            Exhausted = true;
            return false;
        }

        return true;
    }
}
