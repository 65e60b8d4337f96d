using KvDirectory.Node.Membership;
using KvDirectory.Node.Metrics;
using KvDirectory.Node.Snapshots;
using KvDirectory.Raft;
using KvDirectory.Storage;
using KvDirectory.Store;
using Microsoft.Extensions.Logging;

namespace KvDirectory.Node;

/// <summary>What a start recovered from the data dir, before the node's parts are built on it.</summary>
internal sealed record RecoveredState(MemberIdentity Identity, ulong AppliedIndex, ClusterState Members, ClusterState? JoinHint, ClusterStateHolder Cluster);

/// <summary>
/// Opens a data dir: the newest good snapshot and the WAL after it, the store and the member list restored from the
/// snapshot, the identity the data dir holds; a brand-new data dir is bootstrapped with <see cref="NodeOptions.InitialCluster"/>.
/// </summary>
public static partial class NodeOpener
{
    /// <summary>
    /// Opens and recovers the data dir and publishes the member list to <paramref name="cluster"/>, so the host can build
    /// the peer transport with the identity the data dir holds before the node's thread starts (<see cref="ReplicatedNode.Start(KvDirectory.Transport.IPeerNetwork?)"/>).
    /// </summary>
    public static ReplicatedNode Open(V2Store store, NodeOptions options, ClusterStateHolder cluster, NodeMetrics metrics, ILogger logger)
    {
        var storage = DurableRaftStorage.Open(
            options.DataDir,
            new DurableStorageOptions
            {
                Wal = WalOptions.Default with { MaxRetainedSegments = options.MaxWals, SegmentSizeBytes = options.WalSegmentSizeBytes },
                Snapshots = SnapshotStoreOptions.Default with { MaxSnapshots = options.MaxSnapshots },
                FileSystem = options.FileSystem,
            },
            logger);
        try
        {
            var fresh = storage.LastIndex() == 0 && storage.InitialState().HardState.IsEmpty && storage.RecoveredSnapshot.IsEmpty;
            var snapshot = storage.RecoveredSnapshot;
            // Nothing committed and no snapshot: replaying the data dir will name no member at all.
            var membersUnknown = snapshot.IsEmpty && storage.InitialState().HardState.Commit == 0;
            var startup = options.JoinExisting && membersUnknown ? options.MembersFromPeers?.Invoke() ?? options.InitialCluster : options.InitialCluster;
            var identity = ResolveIdentity(storage, options.DataDir, startup, fresh, logger);
            ClusterState? snapshotMembers = null;
            if (!snapshot.IsEmpty)
            {
                (snapshotMembers, var storeBytes) = ClusterSnapshotFormat.Read(snapshot.Data, identity.MemberId);
                store.RestoreSnapshot(storeBytes.Span);
            }

            var node = new RawNode(new RaftConfig
            {
                Id = identity.MemberId,
                Storage = storage,
                HeartbeatTick = 1,
                ElectionTick = Math.Max(2, options.ElectionTimeoutMilliseconds / options.HeartbeatIntervalMilliseconds),
                Applied = snapshot.Metadata.Index,
                CheckQuorum = options.CheckQuorum,
                PreVote = true,
                Seed = unchecked((int)identity.MemberId),
            });
            if (fresh && !options.JoinExisting)
            {
                node.Bootstrap([.. startup.Members.Select(m =>
                    new MembershipChange(MembershipChangeKind.Add, m.Id, m.PeerUrls, m.Name).ToConfChange())]);
            }

            if (fresh || storage.Metadata.IsEmpty)
            {
                // A data dir seeded from a backup gets its identity on its first start, like a new one.
                storage.SaveMetadata(identity.Encode());
            }

            var members = snapshotMembers
                ?? (snapshot.IsEmpty
                    ? new ClusterState(identity.ClusterId, identity.MemberId, [])
                    : MemberList.FromBackup(options.InitialCluster, identity.MemberId, snapshot));
            // The start-up list stands in for the replicated one until the log has caught up with it.
            var joinHint = fresh || (options.JoinExisting && membersUnknown) ? startup : null;
            // The store and the member list are built: the snapshot's bytes need not live as long as the process.
            storage.ReleaseRecoveredData();
            var recovered = new RecoveredState(identity, snapshot.Metadata.Index, members, joinHint, cluster);
            var replicated = new ReplicatedNode(node, storage, store, options, recovered, metrics, logger);
            LogStarted(logger, identity.MemberId, snapshot.Metadata.Index, storage.LastIndex(), fresh);
            return replicated;
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A data dir that has state keeps the identity it was created with, whatever the flags say now (etcd ignores
    /// <c>--initial-cluster</c> on a restart too: a member added at runtime has an id the flags cannot derive).
    /// </summary>
    private static MemberIdentity ResolveIdentity(DurableRaftStorage storage, string dataDir, ClusterState startup, bool fresh, ILogger logger)
    {
        var fromFlags = new MemberIdentity(startup.LocalMemberId, startup.ClusterId);
        if (fresh || MemberIdentity.TryDecode(storage.Metadata.Span) is not { } saved)
        {
            return fromFlags;
        }

        if (saved != fromFlags)
        {
            LogIdentityFromDataDir(logger, dataDir, saved.MemberId, saved.ClusterId, fromFlags.MemberId, fromFlags.ClusterId);
        }

        return saved;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Raft node {MemberId:x} started: snapshot at {SnapshotIndex}, log up to {LastIndex}, new cluster {Fresh}")]
    private static partial void LogStarted(ILogger logger, ulong memberId, ulong snapshotIndex, ulong lastIndex, bool fresh);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "The data dir {DataDir} belongs to member {SavedMember:x} of cluster {SavedCluster:x}; it keeps that identity and ignores the flags' member {FlagsMember:x} of cluster {FlagsCluster:x} (--initial-cluster only shapes a new data dir)")]
    private static partial void LogIdentityFromDataDir(ILogger logger, string dataDir, ulong savedMember, ulong savedCluster, ulong flagsMember, ulong flagsCluster);
}
