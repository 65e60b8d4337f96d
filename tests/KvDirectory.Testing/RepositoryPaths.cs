namespace KvDirectory.Testing;

/// <summary>Finds the repository root and the built server binaries from a test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Debug or Release): the server is looked up in the same one.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";

    public static string ServerDll => BuiltDll("KvDirectory.Server", "kvdirectory.dll");

    public static string CliDll => BuiltDll("KvDirectory.Cli", "kvctl.dll");

    private static string BuiltDll(string project, string dll)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", dll);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{dll} is not built; run 'dotnet build KvDirectory.sln -c {Configuration}' first.", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KvDirectory.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KvDirectory.sln not found above " + AppContext.BaseDirectory);
    }
}
