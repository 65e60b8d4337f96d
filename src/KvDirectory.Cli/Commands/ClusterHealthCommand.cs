using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary><c>cluster-health</c>: asks <c>/health</c> on every member's client URLs; exit 5 unless all are healthy.</summary>
public static class ClusterHealthCommand
{
    public static Command Create()
    {
        var forever = new Option<bool>("--forever", "-f") { Description = "forever check the health every 10 second until CTRL+C" };
        var command = new Command("cluster-health", "check the health of the etcd cluster") { forever };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var client = session.RawClient;
            IReadOnlyList<Protocol.Member> members;
            try
            {
                using var deadline = session.StartTotalTimeout(cancellationToken);
                members = await client.Members.ListAsync(deadline.Token);
            }
            catch (Exception exception) when (exception is MembersApiException or ClusterException)
            {
                session.Output.WriteLine("cluster may be unhealthy: failed to list members");
                throw;
            }

            while (true)
            {
                var healthy = 0;
                foreach (var member in members)
                {
                    healthy += await CheckMemberAsync(session, client, member, cancellationToken) ? 1 : 0;
                }

                session.Output.WriteLine(healthy == members.Count ? "cluster is healthy" : healthy == 0 ? "cluster is unavailable" : "cluster is degraded");
                if (!session.Parse.GetValue(forever))
                {
                    return healthy == members.Count ? ExitCodes.Success : ExitCodes.ClusterNotHealthy;
                }

                session.Output.WriteLine();
                session.Output.WriteLine("next check after 10 second...");
                session.Output.WriteLine();
                await session.Output.FlushAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
            }
        }, interruptIsSuccess: true);
        return command;
    }

    private static async Task<bool> CheckMemberAsync(KvctlSession session, EtcdClient client, Protocol.Member member, CancellationToken cancellationToken)
    {
        if (member.ClientUrls.Count == 0)
        {
            session.Output.WriteLine($"member {member.Id} is unreachable: no available published client urls");
            return false;
        }

        foreach (var url in member.ClientUrls)
        {
            var (isHealthy, _, error) = await client.CheckHealthAsync(new Uri(url), cancellationToken);
            if (!isHealthy && error is not null && !error.StartsWith('{'))
            {
                // Go's http.Client names the failed request before the transport error.
                session.Output.WriteLine($"failed to check the health of member {member.Id} on {url}: Get \"{url}/health\": {error}");
                continue;
            }

            session.Output.WriteLine(isHealthy
                ? $"member {member.Id} is healthy: got healthy result from {url}"
                : $"member {member.Id} is unhealthy: got unhealthy result from {url}");
            return isHealthy;
        }

        session.Output.WriteLine($"member {member.Id} is unreachable: [{string.Join(' ', member.ClientUrls)}] are all unreachable");
        return false;
    }
}
