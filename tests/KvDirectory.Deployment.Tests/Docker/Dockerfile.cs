using System.Text.Json;
using System.Text.RegularExpressions;

namespace KvDirectory.Deployment.Tests.Docker;

/// <summary>One instruction of a Dockerfile: its keyword, its flags (<c>--from=build</c>) and the rest of the line.</summary>
public sealed record DockerInstruction(string Keyword, IReadOnlyList<string> Flags, string Arguments, int Stage);

/// <summary>
/// Reads a Dockerfile as far as the tests need: instructions with continuation lines joined, stages by name, ENV
/// values, and exec-form (JSON array) commands.
/// </summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions, IReadOnlyList<string> stages)
    {
        Instructions = instructions;
        Stages = stages;
    }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>Stage names in order (<c>FROM … AS name</c>).</summary>
    public IReadOnlyList<string> Stages { get; }

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var stages = new List<string>();
        var logical = string.Empty;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (logical.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            var match = Instruction().Match(logical.Trim());
            logical = string.Empty;
            var keyword = match.Groups[1].Value.ToUpperInvariant();
            var flags = new List<string>();
            var rest = match.Groups[2].Value.Trim();
            while (rest.StartsWith("--", StringComparison.Ordinal) && keyword is "COPY" or "ADD" or "FROM" or "RUN")
            {
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                flags.Add(rest[..space]);
                rest = rest[space..].TrimStart();
            }

            if (keyword == "FROM")
            {
                var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add(parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : $"#{stages.Count}");
            }

            instructions.Add(new DockerInstruction(keyword, flags, rest, stages.Count - 1));
        }

        return new Dockerfile(instructions, stages);
    }

    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    /// <summary>The ENV variables of the last stage (<c>ENV A=1 B=2</c>, quotes allowed).</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in All("ENV").Where(i => i.Stage == Stages.Count - 1))
        {
            foreach (Match pair in EnvPair().Matches(env.Arguments))
            {
                variables[pair.Groups[1].Value] = pair.Groups[2].Value.Trim('"');
            }
        }

        return variables;
    }

    /// <summary>An exec-form command (<c>["a", "b"]</c>), after any options such as HEALTHCHECK's <c>--interval</c> and its CMD.</summary>
    public static IReadOnlyList<string> ExecForm(string arguments)
    {
        var start = arguments.IndexOf('[', StringComparison.Ordinal);
        if (start < 0)
        {
            throw new FormatException($"not in exec form (a JSON array): {arguments}");
        }

        return JsonSerializer.Deserialize<string[]>(arguments[start..]) ?? [];
    }

    [GeneratedRegex(@"^([A-Za-z]+)\s+(.*)$", RegexOptions.Singleline)]
    private static partial Regex Instruction();

    [GeneratedRegex("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)")]
    private static partial Regex EnvPair();
}
