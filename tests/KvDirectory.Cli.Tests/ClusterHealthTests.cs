using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>cluster-health when members are unreachable or unhealthy: a fake endpoint publishes the members, etcdctl is the reference.</summary>
public sealed class ClusterHealthTests
{
    [Fact]
    public async Task Unreachable_unhealthy_and_unpublished_members_match_etcdctl_and_exit_5()
    {
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        await using var sick = await RecordingServer.StartAsync(responder: _ => (503, "{\"health\":\"false\"}"));
        var members =
            "{\"members\":[" +
            $"{{\"id\":\"1111111111111111\",\"name\":\"dead\",\"peerURLs\":[\"http://127.0.0.1:1\"],\"clientURLs\":[\"{dead}\"]}}," +
            $"{{\"id\":\"2222222222222222\",\"name\":\"sick\",\"peerURLs\":[\"http://127.0.0.1:2\"],\"clientURLs\":[\"{sick.Endpoint}\"]}}," +
            "{\"id\":\"3333333333333333\",\"name\":\"\",\"peerURLs\":[\"http://127.0.0.1:3\"],\"clientURLs\":[]}]}";
        await using var cluster = await RecordingServer.StartAsync(responder: path => path == "/v2/members" ? (200, members) : (404, "{}"));

        var ours = await Tools.KvctlAsync(cluster.Endpoint, "cluster-health");
        var theirs = await Tools.EtcdctlAsync(cluster.Endpoint, "cluster-health");

        ours.ExitCode.Should().Be(5, ours.ToString());
        ours.Should().Be(theirs);
        ours.StandardOutput.Should().EndWith("cluster is unavailable\n");
    }
}
