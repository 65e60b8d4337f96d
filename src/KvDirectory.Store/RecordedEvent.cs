using KvDirectory.Protocol;

namespace KvDirectory.Store;

/// <summary>
/// An event as the history keeps it: its fields inline in the history's array rather than three objects (the event
/// and its two nodes). Why: the history holds --event-history writes, which outlive the young generation, and those
/// objects were copied by every young collection under write load. The strings are the tree's own.
/// </summary>
internal readonly struct RecordedEvent
{
    private readonly string _action;
    private readonly RecordedNode _node;
    private readonly RecordedNode _prevNode;
    private readonly bool _hasPrevNode;

    private RecordedEvent(EtcdEvent e)
    {
        if (e.EtcdIndex != e.Node!.ModifiedIndex)
        {
            throw new InvalidOperationException($"an event at index {e.EtcdIndex} whose node shows {e.Node.ModifiedIndex}: the history keeps one index per event");
        }

        _action = e.Action;
        _node = new RecordedNode(e.Node);
        _hasPrevNode = e.PrevNode is not null;
        _prevNode = _hasPrevNode ? new RecordedNode(e.PrevNode!) : default;
        Refresh = e.Refresh;
    }

    public static RecordedEvent From(EtcdEvent e) => new(e);

    public bool Refresh { get; }

    /// <summary>The index the event happened at (its node's modifiedIndex, and the store index it answered with).</summary>
    public long Index => _node.ModifiedIndex;

    public string Key => _node.Key!;

    /// <summary>The removal of a directory, which watches on anything inside it see.</summary>
    public bool IsDirectoryRemoval => _node.Dir && EtcdActions.IsRemoval(_action);

    public EtcdEvent ToEvent() => new()
    {
        Action = _action,
        Node = _node.ToNode(),
        PrevNode = _hasPrevNode ? _prevNode.ToNode() : null,
        EtcdIndex = Index,
        Refresh = Refresh,
    };

    /// <summary>An event's node: never a listing, since events show the node alone.</summary>
    private readonly struct RecordedNode
    {
        private readonly string? _value;
        private readonly DateTimeOffset? _expiration;
        private readonly long _ttl;
        private readonly long _createdIndex;

        public RecordedNode(EtcdNode node)
        {
            if (node.Nodes is not null)
            {
                throw new InvalidOperationException($"an event's node {node.Key} lists children, which the history does not keep");
            }

            Key = node.Key;
            _value = node.Value;
            Dir = node.Dir;
            _expiration = node.Expiration;
            _ttl = node.Ttl;
            ModifiedIndex = node.ModifiedIndex;
            _createdIndex = node.CreatedIndex;
        }

        public string? Key { get; }

        public long ModifiedIndex { get; }

        public bool Dir { get; }

        public EtcdNode ToNode() => new()
        {
            Key = Key,
            Value = _value,
            Dir = Dir,
            Expiration = _expiration,
            Ttl = _ttl,
            ModifiedIndex = ModifiedIndex,
            CreatedIndex = _createdIndex,
        };
    }
}
