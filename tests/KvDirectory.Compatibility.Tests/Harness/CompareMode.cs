namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>How much of a body must match.</summary>
public enum CompareMode
{
    /// <summary>Every value, after index/expiration/id normalisation.</summary>
    Exact,

    /// <summary>Property names and value kinds only: for answers whose values are per-process (stats, /version).</summary>
    Shape,
}
