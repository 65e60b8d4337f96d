using System.Text;

namespace KvDirectory.Raft.Tests.Interaction;

/// <summary>
/// Data-driven scenarios in testdata/*.txt: each block is a command, a "----" line, and the expected
/// output, ended by a blank line. RAFT_REWRITE=1 regenerates the expected output in the source tree.
/// </summary>
public sealed class InteractionScriptTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Interaction", "testdata"), "*.txt").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_produces_the_recorded_output(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Interaction", "testdata", name);
        var lines = File.ReadAllLines(path);
        var cluster = new InteractionCluster();
        var rewritten = new StringBuilder();
        var failures = new List<string>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                rewritten.AppendLine(line);
                i++;
                continue;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            i++;
            if (i >= lines.Length || lines[i] != "----") throw new FormatException($"{name}:{i}: expected ---- after '{line}'");
            i++;
            var expected = new StringBuilder();
            while (i < lines.Length && lines[i].Length > 0) expected.AppendLine(lines[i++]);
            var actual = cluster.Execute(parts[0], parts[1..]);
            if (actual != expected.ToString()) failures.Add($"{name}: '{line}'\nexpected:\n{expected}actual:\n{actual}");
            rewritten.AppendLine(line).AppendLine("----").Append(actual);
        }

        if (Environment.GetEnvironmentVariable("RAFT_REWRITE") == "1")
        {
            var source = Path.Combine(FindSourceDirectory(), "Interaction", "testdata", name);
            File.WriteAllText(source, rewritten.ToString().TrimEnd('\n') + "\n");
            return;
        }
        failures.Should().BeEmpty();
    }

    private static string FindSourceDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KvDirectory.Raft.Tests.csproj"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("test project source not found");
    }
}
