using KvDirectory.Protocol;
using KvDirectory.Store;

namespace KvDirectory.Node;

/// <summary>
/// The ordered log every mutation goes through before it reaches the store: replicated through Raft, then applied
/// in log order on every member (<see cref="ReplicatedNode"/>). The key endpoints only ever see this interface.
/// </summary>
public interface ICommandLog
{
    /// <summary>
    /// Appends the command, waits until it is applied, and returns its event (or throws the store's
    /// <see cref="EtcdException"/>). Cancelling stops the wait, not the command.
    /// </summary>
    Task<EtcdEvent> ProposeAsync(StoreCommand command, CancellationToken cancellationToken);

    /// <summary>Completes once everything committed before the call is applied locally (a linearizable read point).</summary>
    Task WaitForReadBarrierAsync(CancellationToken cancellationToken);

    ConsensusStatus Status { get; }
}
