using KvDirectory.Store.Browsing;

namespace KvDirectory.Store;

/// <summary>
/// The explorer's search, in bounded batches: each call walks at most a budget of nodes under the read lock and says
/// where to resume, so the server can send results as they are found without ever holding the lock while it writes.
/// </summary>
public sealed partial class V2Store
{
    /// <summary>
    /// The next matches after <paramref name="resumeAfter"/> (null to start), stopping after <paramref name="maxMatches"/>
    /// matches or <paramref name="maxVisited"/> nodes looked at.
    /// </summary>
    public SearchBatch Search(SearchQuery query, string? resumeAfter, int maxMatches, int maxVisited)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVisited, 1);
        var under = StorePath.Normalize(query.Under);
        _lock.EnterReadLock();
        try
        {
            var scope = Lookup(under);
            var walk = new SearchWalk(query, resumeAfter, maxMatches, maxVisited, Now);
            if (scope.IsDir)
            {
                VisitChildren(scope, walk);
            }
            else
            {
                Visit(scope, walk);
            }

            return new SearchBatch(walk.Matches, walk.Stopped ? walk.LastVisited : null, walk.Visited);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Pre-order: the node, then its children by name; subtrees wholly before the resume point are skipped.</summary>
    private void Visit(TreeNode node, SearchWalk walk)
    {
        if (walk.Stopped || (node.IsHidden && !walk.Query.IncludeHidden) || !walk.MayContainMatches(node.Path))
        {
            return;
        }

        var resume = walk.ResumeAfter;
        if (resume is not null)
        {
            var order = PreorderCompare(node.Path, resume);
            if (order < 0 && !StorePath.IsStrictlyUnder(resume, node.Path))
            {
                return;
            }

            if (order > 0)
            {
                walk.PassedResumePoint();
                walk.Look(node, ToEntry(node, walk.Query.IncludeHidden, walk.Now));
            }
        }
        else
        {
            walk.Look(node, ToEntry(node, walk.Query.IncludeHidden, walk.Now));
        }

        if (node.IsDir && !walk.Stopped)
        {
            VisitChildren(node, walk);
        }
    }

    private void VisitChildren(TreeNode dir, SearchWalk walk)
    {
        foreach (var child in SortedChildren(dir, walk.Query.IncludeHidden))
        {
            Visit(child, walk);
            if (walk.Stopped)
            {
                return;
            }
        }
    }

    /// <summary>Path order of a pre-order walk with children by name: '/' sorts before every other character.</summary>
    internal static int PreorderCompare(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            if (a[i] == '/')
            {
                return -1;
            }

            return b[i] == '/' ? 1 : a[i].CompareTo(b[i]);
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <summary>The state of one search batch.</summary>
    private sealed class SearchWalk(SearchQuery query, string? resumeAfter, int maxMatches, int maxVisited, DateTimeOffset now)
    {
        public SearchQuery Query { get; } = query;

        public DateTimeOffset Now { get; } = now;

        public string? ResumeAfter { get; private set; } = resumeAfter;

        public List<BrowseEntry> Matches { get; } = [];

        public int Visited { get; private set; }

        public string? LastVisited { get; private set; }

        public bool Stopped { get; private set; }

        /// <summary>Once past the resume point every later node is new: no more comparisons needed.</summary>
        public void PassedResumePoint() => ResumeAfter = null;

        public void Look(TreeNode node, BrowseEntry entry)
        {
            Visited++;
            LastVisited = node.Path;
            if (IsMatch(node))
            {
                Matches.Add(entry);
            }

            Stopped = Matches.Count >= maxMatches || Visited >= maxVisited;
        }

        /// <summary>A prefix search only goes down the directories on the way to the prefix and beneath it.</summary>
        public bool MayContainMatches(string path) =>
            Query.Prefix is not { } prefix
            || path.StartsWith(prefix, StringComparison.Ordinal)
            || prefix.StartsWith(path == StorePath.Root ? path : path + "/", StringComparison.Ordinal);

        private bool IsMatch(TreeNode node)
        {
            if (Query.Prefix is { } prefix && !node.Path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return false;
            }

            return Query.Contains is not { Length: > 0 } text
                || node.Path.Contains(text, StringComparison.OrdinalIgnoreCase)
                || (!node.IsDir && node.Value.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
    }
}
