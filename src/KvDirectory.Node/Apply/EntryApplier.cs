using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Node.Proposals;
using KvDirectory.Protocol;
using KvDirectory.Raft;
using KvDirectory.Storage;
using KvDirectory.Store;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Apply;

/// <summary>
/// Applies committed entries in log order: store commands to the <see cref="V2Store"/> (answering the proposer's
/// request with its event), conf changes and published member attributes to the member list (and the Raft configuration). Node thread only.
/// </summary>
internal sealed partial class EntryApplier(
    V2Store store,
    DurableRaftStorage storage,
    ProposalTracker proposals,
    MembershipChanges membership,
    NodeMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private ulong _appliedIndex;

    /// <summary>The index of the last entry applied; read from any thread.</summary>
    public ulong AppliedIndex => Interlocked.Read(ref _appliedIndex);

    /// <summary>The Raft configuration as of <see cref="AppliedIndex"/> (what a snapshot taken now must carry).</summary>
    public ConfState ConfState { get; private set; } = ConfState.Empty;

    /// <summary>Where applying starts: the recovered snapshot, or one just installed.</summary>
    public void Reset(ulong appliedIndex, ConfState confState)
    {
        Interlocked.Exchange(ref _appliedIndex, appliedIndex);
        ConfState = confState;
    }

    public void Apply(IReadOnlyList<Entry> entries)
    {
        if (entries.Count > 0)
        {
            metrics.EntriesCommitted(entries.Count);
        }

        foreach (var entry in entries)
        {
            if (entry.Type == EntryType.ConfChange)
            {
                if (membership.Apply(entry) is { } confState)
                {
                    ConfState = confState;
                    storage.SetConfState(confState);
                }
            }
            else if (!entry.Data.IsEmpty)
            {
                ApplyCommand(entry);
            }

            Interlocked.Exchange(ref _appliedIndex, entry.Index);
        }
    }

    private void ApplyCommand(Entry entry)
    {
        var started = time.GetTimestamp();
        if (!ProposalPayload.TryDecode(entry.Data, out var requestId, out var commandBytes))
        {
            LogBadEntry(logger, entry.Index, null);
            return;
        }

        if (ProposalPayload.IsMemberAttributes(commandBytes.Span))
        {
            membership.ApplyAttributes(entry.Index, commandBytes.Span[1..]);
            return;
        }

        var waiting = proposals.Take(requestId);
        StoreCommand command;
        try
        {
            // The proposer applies the command it encoded: decoding its own bytes again cost a tenth of a write's allocations.
            command = waiting?.CommandOf(entry.Data) ?? StoreCommandCodec.Decode(commandBytes.Span);
        }
        catch (FormatException error)
        {
            LogBadEntry(logger, entry.Index, error);
            waiting?.Completion.TrySetException(new EtcdException(EtcdErrorCode.RaftInternal, "etcdserver: undecodable command"));
            return;
        }

        try
        {
            var applied = store.Apply(command);
            waiting?.Completion.TrySetResult(applied!);
        }
        catch (EtcdException error)
        {
            waiting?.Completion.TrySetException(error);
        }
        finally
        {
            metrics.EntryApplied(time.GetElapsedTime(started));
        }
    }

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Entry {Index} could not be decoded and was skipped on every member alike")]
    private static partial void LogBadEntry(ILogger logger, ulong index, Exception? error);
}
