namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// Membership scenarios start up to five server processes each: they run one at a time and after the parallel
/// tests, so a 2-core machine never hosts two such clusters at once (timing-sensitive elections would flake).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MembershipCollection
{
    public const string Name = "Runtime membership clusters";
}
