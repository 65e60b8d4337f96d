using System.Threading.Channels;
using KvDirectory.Protocol;
using KvDirectory.Store;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Server.CommandLog;

/// <summary>
/// The single-node command log: proposals are queued, encoded as they will be in the replicated log,
/// and applied one after another by a single applier thread, in batches, completing each waiting request.
/// </summary>
public sealed partial class LocalCommandLog : ICommandLog, IAsyncDisposable
{
    private const long SingleNodeTerm = 1;

    private readonly V2Store _store;
    private readonly ulong _memberId;
    private readonly ILogger<LocalCommandLog> _logger;
    private readonly Channel<Proposal> _proposals = Channel.CreateUnbounded<Proposal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _applier;
    private long _appliedIndex;

    public LocalCommandLog(V2Store store, ulong memberId, ILogger<LocalCommandLog> logger)
    {
        _store = store;
        _memberId = memberId;
        _logger = logger;
        _applier = Task.Factory.StartNew(ApplyLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public ConsensusStatus Status => new(SingleNodeTerm, Interlocked.Read(ref _appliedIndex), _memberId, NodeRole.Leader);

    public Task<EtcdEvent> ProposeAsync(StoreCommand command, CancellationToken cancellationToken)
    {
        var proposal = new Proposal(StoreCommandCodec.Encode(command));
        if (!_proposals.Writer.TryWrite(proposal))
        {
            throw new EtcdException(EtcdErrorCode.RaftInternal, "server is shutting down");
        }

        return proposal.Completion.Task.WaitAsync(cancellationToken);
    }

    public Task WaitForReadBarrierAsync(CancellationToken cancellationToken)
    {
        var barrier = new Proposal(null);
        if (!_proposals.Writer.TryWrite(barrier))
        {
            throw new EtcdException(EtcdErrorCode.RaftInternal, "server is shutting down");
        }

        return barrier.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _proposals.Writer.TryComplete();
        await _applier;
    }

    private async Task ApplyLoopAsync()
    {
        var reader = _proposals.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var proposal))
            {
                Apply(proposal);
            }
        }
    }

    private void Apply(Proposal proposal)
    {
        if (proposal.Entry is null)
        {
            proposal.Completion.TrySetResult(null!);
            return;
        }

        // Decoding what was encoded is exactly what a replica does with a log entry: the command crosses a byte boundary.
        var command = StoreCommandCodec.Decode(proposal.Entry);
        Interlocked.Increment(ref _appliedIndex);
        try
        {
            var applied = _store.Apply(command);
            proposal.Completion.TrySetResult(applied!);
        }
        catch (EtcdException error)
        {
            proposal.Completion.TrySetException(error);
        }
        catch (Exception error)
        {
            // The store must never throw anything but EtcdException; if it does, fail this request, keep the node alive.
            LogApplyFailed(error, command.GetType().Name);
            proposal.Completion.TrySetException(new EtcdException(EtcdErrorCode.RaftInternal, "apply failed: " + error.Message));
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Applying a {CommandType} failed unexpectedly")]
    private partial void LogApplyFailed(Exception error, string commandType);

    private sealed class Proposal(byte[]? entry)
    {
        public byte[]? Entry { get; } = entry;

        public TaskCompletionSource<EtcdEvent> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
