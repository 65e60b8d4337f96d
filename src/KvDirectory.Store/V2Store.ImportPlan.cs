using KvDirectory.Protocol.Dump;
using KvDirectory.Store.Browsing;

namespace KvDirectory.Store;

/// <summary>The dry run of an import: compares a dump with the tree without writing anything.</summary>
public sealed partial class V2Store
{
    /// <summary>
    /// What importing <paramref name="dump"/> under <paramref name="targetPrefix"/> would do to each key (the dump's
    /// prefix is replaced by the target; null keeps the dump's own keys).
    /// </summary>
    public ImportPlan PlanImport(KeyDump dump, string? targetPrefix)
    {
        ArgumentNullException.ThrowIfNull(dump);
        if (dump.Format != KeyDump.FormatName || dump.Version > KeyDump.CurrentVersion)
        {
            throw new ArgumentException($"not a {KeyDump.FormatName} version {KeyDump.CurrentVersion} dump", nameof(dump));
        }

        var from = StorePath.Normalize(dump.Prefix);
        var to = targetPrefix is null ? from : StorePath.Normalize(targetPrefix);
        _lock.EnterReadLock();
        try
        {
            var items = new List<ImportItem>(dump.Nodes.Count);
            foreach (var entry in dump.Nodes)
            {
                items.Add(PlanItem(entry, Rebase(StorePath.Normalize(entry.Key), from, to)));
            }

            return new ImportPlan(items, _currentIndex);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Moves a key from under one prefix to under another; a key outside the dump's prefix keeps its path.</summary>
    internal static string Rebase(string key, string from, string to)
    {
        if (from == to)
        {
            return key;
        }

        if (key == from)
        {
            return to;
        }

        if (!StorePath.IsStrictlyUnder(key, from))
        {
            return key;
        }

        var rest = from == StorePath.Root ? key[1..] : key[(from.Length + 1)..];
        return StorePath.Join(to, rest);
    }

    private ImportItem PlanItem(KeyDumpEntry entry, string key)
    {
        var item = new ImportItem { Key = key, Dir = entry.Dir, Value = entry.Dir ? null : entry.Value ?? string.Empty, Ttl = entry.Ttl };
        var node = _root;
        foreach (var component in StorePath.Components(key))
        {
            if (!node.IsDir)
            {
                return item with { Status = ImportStatus.Conflicting, Reason = $"{node.Path} is a key, not a directory" };
            }

            if (!node.Children!.TryGetValue(component, out var child))
            {
                return item with { Status = ImportStatus.Added };
            }

            node = child;
        }

        if (node.IsDir != entry.Dir)
        {
            return item with
            {
                Status = ImportStatus.Conflicting,
                Reason = node.IsDir ? $"{key} is a directory here" : $"{key} is a key here",
                CurrentValue = node.IsDir ? null : node.Value,
                CurrentModifiedIndex = node.ModifiedIndex,
            };
        }

        var same = node.IsDir || node.Value == item.Value;
        return item with
        {
            Status = same ? ImportStatus.Unchanged : ImportStatus.Changed,
            CurrentValue = node.IsDir ? null : node.Value,
            CurrentModifiedIndex = node.ModifiedIndex,
        };
    }
}
