using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KvDirectory.Client;

/// <summary>
/// The client's traces and metrics, both named <c>KvDirectory.Client</c>: one activity per call, counters of requests,
/// failovers, retries and watch resumptions, and a histogram of call durations, for OpenTelemetry or dotnet-counters.
/// </summary>
public static class ClientTelemetry
{
    public const string Name = "KvDirectory.Client";

    public static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("kvdirectory.client.requests", description: "HTTP requests sent to an endpoint");

    internal static readonly Counter<long> Failovers = Meter.CreateCounter<long>("kvdirectory.client.failovers", description: "calls moved on to another endpoint");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("kvdirectory.client.retries", description: "idempotent calls tried again after every endpoint failed");

    internal static readonly Counter<long> WatchReconnects = Meter.CreateCounter<long>("kvdirectory.client.watch.reconnects", description: "watches resumed after a disconnect");

    internal static readonly Counter<long> WatchResyncs = Meter.CreateCounter<long>("kvdirectory.client.watch.resyncs", description: "watches that resynchronised with a read after their index was cleared (401)");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("kvdirectory.client.call.duration", unit: "s", description: "duration of a whole call, failovers and retries included");
}
