using KvDirectory.Node;
using KvDirectory.Protocol;
using KvDirectory.Store;

namespace KvDirectory.Benchmarks.Micro;

/// <summary>The command log a GET's answer sees: it reads only the status (the X-Raft-* headers).</summary>
internal sealed class StatusOnlyLog(ConsensusStatus status) : ICommandLog
{
    public ConsensusStatus Status { get; } = status;

    public Task<EtcdEvent> ProposeAsync(StoreCommand command, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task WaitForReadBarrierAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
