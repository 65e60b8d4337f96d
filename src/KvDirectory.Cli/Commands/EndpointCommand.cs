using System.CommandLine;
using System.Globalization;

namespace KvDirectory.Cli.Commands;

/// <summary><c>endpoint health</c> and <c>endpoint status</c> for each given endpoint, as etcdctl v3 words them.</summary>
public static class EndpointCommand
{
    public static Command Create()
    {
        var command = new Command("endpoint", "endpoint related commands");
        command.Subcommands.Add(CreateHealth());
        command.Subcommands.Add(CreateStatus());
        return command;
    }

    private static Command CreateHealth()
    {
        var command = new Command("health", "checks the healthiness of endpoints specified in `--endpoints` flag");
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var client = session.RawClient;
            var allHealthy = true;
            foreach (var endpoint in client.Endpoints)
            {
                using var deadline = session.StartTotalTimeout(cancellationToken);
                var (healthy, took, error) = await client.CheckHealthAsync(endpoint, deadline.Token);
                allHealthy &= healthy;
                session.Error.WriteLine(healthy
                    ? $"{KvctlSession.Display(endpoint)} is healthy: successfully committed proposal: took = {FormatTook(took)}"
                    : $"{KvctlSession.Display(endpoint)} is unhealthy: failed to commit proposal: {error}");
            }

            if (!allHealthy)
            {
                throw new CliException("unhealthy cluster", ExitCodes.BadArgs);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateStatus()
    {
        var writeOut = new Option<string?>("--write-out", "-w") { Description = "table, json or simple" };
        var command = new Command("status", "prints out the status of endpoints specified in `--endpoints` flag") { writeOut };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var client = session.RawClient;
            var rows = new List<IReadOnlyList<string>>();
            foreach (var endpoint in client.Endpoints)
            {
                using var deadline = session.StartTotalTimeout(cancellationToken);
                var status = await client.GetEndpointStatusAsync(endpoint, deadline.Token);
                rows.Add(
                [
                    KvctlSession.Display(endpoint),
                    status.Self.Id,
                    status.Version.Server,
                    status.Self.State == "StateLeader" ? "true" : "false",
                    status.RaftTerm.ToString(CultureInfo.InvariantCulture),
                    status.RaftIndex.ToString(CultureInfo.InvariantCulture),
                ]);
            }

            string[] headers = ["endpoint", "ID", "version", "is leader", "raft term", "raft index"];
            var format = session.Parse.GetValue(writeOut) ?? session.Format;
            switch (format)
            {
                case "table":
                    session.Output.Write(TableWriter.Render(headers, rows));
                    break;
                case "json":
                    session.Output.WriteLine(GoJson.Table(headers, rows));
                    break;
                default:
                    foreach (var row in rows)
                    {
                        session.Output.WriteLine(string.Join(", ", row));
                    }

                    break;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Go's Duration.String for sub-minute values ("1.234567ms", "2.5s").</summary>
    private static string FormatTook(TimeSpan took) =>
        took.TotalSeconds >= 1
            ? took.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture) + "s"
            : took.TotalMilliseconds.ToString("0.######", CultureInfo.InvariantCulture) + "ms";
}
