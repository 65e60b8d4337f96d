using KvDirectory.Node;
using KvDirectory.Server.Configuration;
using KvDirectory.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Keys;

/// <summary>
/// Expires TTL keys by proposing a sweep command that carries the proposer's clock, so every replica
/// expires the same keys at the same log position (never a clock read inside apply).
/// </summary>
public sealed partial class TtlSweeper(
    ICommandLog log,
    V2Store store,
    TimeProvider time,
    IOptions<ServerOptions> options,
    ILogger<TtlSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TtlSweepIntervalMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (log.Status.Role != NodeRole.Leader || !store.HasExpiringKeys(time.GetUtcNow()))
                {
                    continue;
                }

                try
                {
                    await log.ProposeAsync(new ExpireKeysCommand(time.GetUtcNow()), stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogSweepFailed(error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Proposing the TTL sweep failed; it is retried on the next tick")]
    private partial void LogSweepFailed(Exception error);
}
