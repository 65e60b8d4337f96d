namespace KvDirectory.Testing.Disk;

internal enum NameChangeKind
{
    Create,
    Rename,
    Delete,
}

/// <summary>One change to a directory's names, durable only once its directory is synced.</summary>
internal sealed record NameChange(NameChangeKind Kind, string Path, string? From, SimulatedInode Inode)
{
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public void ApplyTo(Dictionary<string, SimulatedInode> names)
    {
        switch (Kind)
        {
            case NameChangeKind.Create:
                names[Path] = Inode;
                break;
            case NameChangeKind.Rename:
                names.Remove(From!);
                names[Path] = Inode;
                break;
            default:
                names.Remove(Path);
                break;
        }
    }
}
