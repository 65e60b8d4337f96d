namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>
/// One single-member cluster shared by every test of a class whose requests the members API refuses: a refusal
/// changes nothing, so each test finds the member as the last one left it (and a refusal that did change something
/// shows up in the tests after it too). One start per server instead of one per case.
/// </summary>
public abstract class SingleMemberCluster : IAsyncLifetime
{
    private MembershipCluster? _cluster;

    public MembershipCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started yet");

    protected abstract Server Server { get; }

    public async Task InitializeAsync() => _cluster = await MembershipCluster.StartAsync(Server, 1);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class SingleEtcdMember : SingleMemberCluster
{
    protected override Server Server => Server.Etcd;
}

public sealed class SingleKvDirectoryMember : SingleMemberCluster
{
    protected override Server Server => Server.KvDirectory;
}
