using KvDirectory.Protocol;
using KvDirectory.Store;

namespace KvDirectory.Server.CommandLog;

/// <summary>
/// The ordered log every mutation goes through before it reaches the store. The single-node log applies
/// in process; the Raft-backed log replicates first. Endpoints only ever see this interface.
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
