using static KvDirectory.Compatibility.Tests.Scenarios.StepBuilder;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>Directories: creation, listing (plain, recursive, sorted), dir=true on what exists, deletes.</summary>
public static class DirectoryScenarios
{
    public static IEnumerable<Scenario> All() =>
    [
        S("PUT dir=true creates a directory", Put("/d?dir=true")),
        S("Empty directory has no nodes member", Put("/d?dir=true"), Get("/d")),
        S("Directory listing shows children", Put("/d/a", "value=one"), Put("/d/b", "value=two"), Get("/d")),
        S("Directory listing without recursive hides grandchildren", Put("/d/e/a", "value=one"), Put("/d/b", "value=two"), Get("/d")),
        S("Recursive listing shows the whole tree", Put("/d/e/a", "value=one"), Put("/d/b", "value=two"), Put("/d/e/f?dir=true"), Get("/d?recursive=true")),
        S("Sorted listing orders by key", Put("/d/c", "value=three"), Put("/d/a", "value=one"), Put("/d/b", "value=two"), Get("/d?sorted=true")),
        S("Sorted recursive listing orders every level", Put("/d/z/b", "value=one"), Put("/d/z/a", "value=two"), Put("/d/a", "value=three"), Get("/d?sorted=true&recursive=true")),
        S("dir=true on an existing directory is 102", Put("/d?dir=true"), Put("/d?dir=true")),
        S("dir=true on an existing file replaces it with a directory", Put("/d", "value=one"), Put("/d?dir=true"), Get("/d")),
        S("dir=true with a value", Put("/d?dir=true", "value=one"), Get("/d")),
        S("dir=true with prevExist=false on an existing directory is 105", Put("/d?dir=true"), Put("/d?dir=true&prevExist=false")),
        S("dir=true with prevExist=true updates a directory", Put("/d?dir=true"), Put("/d?dir=true&prevExist=true&ttl=1000")),
        S("PUT a value onto a directory is 102", Put("/d/a", "value=one"), Put("/d", "value=two")),
        S("DELETE a directory without dir is 102", Put("/d?dir=true"), Delete("/d")),
        S("DELETE an empty directory with dir=true", Put("/d?dir=true"), Delete("/d?dir=true"), Get("/d")),
        S("DELETE a non-empty directory with dir=true is 108", Put("/d/a", "value=one"), Delete("/d?dir=true")),
        S("DELETE recursive removes the tree", Put("/d/e/a", "value=one"), Put("/d/b", "value=two"), Delete("/d?recursive=true"), Get("/d")),
        S("DELETE recursive=true implies dir on an empty directory", Put("/d?dir=true"), Delete("/d?recursive=true")),
        S("DELETE dir=true on a file", Put("/d", "value=one"), Delete("/d?dir=true")),
        S("DELETE recursive=true on a file", Put("/d", "value=one"), Delete("/d?recursive=true")),
        S("GET a directory with recursive=false explicitly", Put("/d/a", "value=one"), Get("/d?recursive=false&sorted=false")),
        S("Directory ttl is set and listed", Put("/d?dir=true&ttl=1000"), Get("/d")),
        S("Directory created implicitly lists its indexes", Put("/d/e/f", "value=one"), Get("/d/e")),
        S("Trailing slash on a directory read", Put("/d/a", "value=one"), Get("/d/")),
        S("Trailing slash on a key write and read", Put("/a/", "value=one"), Get("/a")),
        S("Encoded slash makes a nested key", Put("/a%2Fb", "value=one"), Get("/a/b"), Get("/a")),
        S("Plus sign in a path stays a plus", Put("/a+b", "value=one"), Get("/a+b"), Get("/a%2Bb"), Get("/a%20b")),
        S("Encoded space in a path", Put("/a%20b", "value=one"), Get("?recursive=true")),
    ];
}
