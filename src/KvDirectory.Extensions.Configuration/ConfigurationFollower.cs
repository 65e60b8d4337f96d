using System.Threading.Channels;
using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Extensions.Configuration;

/// <summary>
/// Keeps a provider current: gets live data if it started from the cache (or empty), then runs one recursive watch
/// resumed by index and turns every burst of changes (or a resync after 401) into one reload once no change has come
/// for the debounce window.
/// </summary>
internal sealed class ConfigurationFollower(KvDirectoryConfigurationProvider provider)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (provider.Status.Source != ConfigurationDataSource.Live)
            {
                await ReloadUntilDoneAsync(stopping);
                ConfigurationLog.SwitchedToLive(provider.Logger, provider.Prefix, provider.Status.EtcdIndex);
            }

            var changes = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var watching = WatchAsync(provider.Status.EtcdIndex + 1, changes.Writer, stopping);
            await ReloadOnChangesAsync(changes.Reader, stopping);
            await watching;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is EtcdException or ClusterException)
        {
            ConfigurationLog.FollowingStopped(provider.Logger, provider.Prefix, exception.Message);
        }
    }

    private async Task WatchAsync(long fromIndex, ChannelWriter<long> changes, CancellationToken stopping)
    {
        try
        {
            await foreach (var update in provider.Client.Keys.WatchAsync(provider.Prefix, recursive: true, fromIndex, stopping))
            {
                // An event or a resync: either way the next reload reads the whole prefix afresh.
                changes.TryWrite(update.Index);
            }
        }
        finally
        {
            changes.TryComplete();
        }
    }

    private async Task ReloadOnChangesAsync(ChannelReader<long> changes, CancellationToken stopping)
    {
        var window = provider.Options.DebounceWindow;
        while (await changes.WaitToReadAsync(stopping))
        {
            var latest = Drain(changes);
            var burstStarted = DateTime.UtcNow;
            // Wait until the changes stop for a whole window, but never more than ten windows, so a steady stream
            // of writes still reloads regularly.
            while (window > TimeSpan.Zero && DateTime.UtcNow - burstStarted < window * 10)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                quiet.CancelAfter(window);
                try
                {
                    if (!await changes.WaitToReadAsync(quiet.Token))
                    {
                        break;
                    }

                    latest = Math.Max(latest, Drain(changes));
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    break;
                }
            }

            if (latest > provider.Status.EtcdIndex)
            {
                await ReloadUntilDoneAsync(stopping, latest);
            }
        }
    }

    private static long Drain(ChannelReader<long> changes)
    {
        var latest = 0L;
        while (changes.TryRead(out var index))
        {
            latest = Math.Max(latest, index);
        }

        return latest;
    }

    private async Task ReloadUntilDoneAsync(CancellationToken stopping, long minIndex = 0)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var (values, index) = await provider.FetchAsync(stopping, minIndex);
                provider.Apply(values, index, ConfigurationDataSource.Live, raise: true);
                ConfigurationLog.Reloaded(provider.Logger, provider.Prefix, index, values.Count);
                return;
            }
            catch (ClusterException exception)
            {
                ConfigurationLog.ReloadFailed(provider.Logger, provider.Prefix, exception.Message, delay);
                await Task.Delay(delay, stopping);
                delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, delay.Ticks * 2));
            }
        }
    }
}
