using System.Xml.Linq;
using KvDirectory.Testing;

namespace KvDirectory.Deployment.Tests.Docker;

/// <summary>
/// No container engine runs here, so the Dockerfile is checked against the repository it builds: every path it copies
/// exists, every project it publishes exists and needs nothing outside what is copied, the entry point is the dll the
/// server project builds, and the runtime stage is what the issue promises (non-root, /data, 2379/2380, health check).
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string Root = RepositoryPaths.Root;

    private static Dockerfile Load() => Dockerfile.Parse(File.ReadAllText(Path.Combine(Root, "docker", "Dockerfile")));

    [Fact]
    public void It_has_a_build_stage_and_a_runtime_stage_on_the_matching_images()
    {
        var dockerfile = Load();
        dockerfile.Stages.Should().Equal("build", "runtime");
        var from = dockerfile.All("FROM").Select(i => i.Arguments.Split(' ')[0]).ToList();
        from[0].Should().StartWith("mcr.microsoft.com/dotnet/sdk:");
        from[1].Should().StartWith("mcr.microsoft.com/dotnet/aspnet:");
        var framework = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        from.Should().AllSatisfy(image => image.Should().EndWith(":" + framework["net".Length..]), "the images carry the target framework's runtime");
    }

    [Fact]
    public void Every_path_copied_from_the_build_context_exists_and_is_not_ignored()
    {
        var dockerfile = Load();
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var copy in dockerfile.All("COPY").Where(c => !c.Flags.Any(f => f.StartsWith("--from=", StringComparison.Ordinal))))
        {
            var parts = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                var path = Path.Combine(Root, source.TrimEnd('/'));
                (File.Exists(path) || Directory.Exists(path)).Should().BeTrue($"COPY {source} names a path of the repository");
                ignored.Should().NotContain(i => source.StartsWith(i.TrimStart('*', '/'), StringComparison.Ordinal), $"{source} is sent to the build");
            }
        }
    }

    [Fact]
    public void Copies_between_stages_name_stages_and_paths_that_the_earlier_stage_made()
    {
        var dockerfile = Load();
        var published = dockerfile.All("RUN").SelectMany(r => PublishOutputs(r.Arguments)).ToList();
        var madeByRun = dockerfile.All("RUN").SelectMany(r => r.Arguments.Split(' ')).Where(w => w.StartsWith("/app/", StringComparison.Ordinal)).ToList();
        foreach (var copy in dockerfile.All("COPY").Where(c => c.Flags.Any(f => f.StartsWith("--from=", StringComparison.Ordinal))))
        {
            var stage = copy.Flags.Single(f => f.StartsWith("--from=", StringComparison.Ordinal))["--from=".Length..];
            dockerfile.Stages.ToList().IndexOf(stage).Should().BeInRange(0, copy.Stage - 1, $"COPY --from={stage} names an earlier stage");
            var source = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            (published.Contains(source) || madeByRun.Contains(source)).Should().BeTrue($"{source} is made by the {stage} stage");
        }
    }

    [Fact]
    public void Published_projects_exist_and_reference_only_copied_projects()
    {
        var dockerfile = Load();
        var copied = dockerfile.All("COPY").Where(c => c.Flags.Count == 0).SelectMany(c => c.Arguments.Split(' ')[..^1]).ToList();
        var projects = dockerfile.All("RUN").SelectMany(r => PublishedProjects(r.Arguments)).ToList();
        projects.Should().Contain(["src/KvDirectory.Server/KvDirectory.Server.csproj", "src/KvDirectory.Cli/KvDirectory.Cli.csproj"]);
        foreach (var project in projects)
        {
            foreach (var needed in ProjectClosure(Path.Combine(Root, project)))
            {
                var relative = Path.GetRelativePath(Root, needed).Replace('\\', '/');
                copied.Should().Contain(c => relative.StartsWith(c.TrimEnd('/') + "/", StringComparison.Ordinal), $"{project} needs {relative}, which the build stage must copy");
            }
        }
    }

    [Fact]
    public void The_entry_point_runs_the_servers_assembly_from_where_it_was_published()
    {
        var dockerfile = Load();
        var entry = Dockerfile.ExecForm(dockerfile.All("ENTRYPOINT").Single().Arguments);
        var assembly = XDocument.Load(Path.Combine(Root, "src", "KvDirectory.Server", "KvDirectory.Server.csproj")).Descendants("AssemblyName").Single().Value;
        var output = dockerfile.All("RUN").SelectMany(r => PublishOutputs(r.Arguments)).First();
        entry.Should().Equal("dotnet", $"{output}/{assembly}.dll");
    }

    [Fact]
    public void The_runtime_stage_is_non_root_keeps_data_in_a_volume_exposes_both_ports_and_checks_health()
    {
        var dockerfile = Load();
        var runtime = dockerfile.Instructions.Where(i => i.Stage == 1).ToList();
        runtime.Where(i => i.Keyword == "USER").Should().ContainSingle().Which.Arguments.Should().NotBe("root").And.NotBe("0");
        runtime.Should().Contain(i => i.Keyword == "VOLUME" && i.Arguments == "/data");
        runtime.Single(i => i.Keyword == "EXPOSE").Arguments.Split(' ').Should().BeEquivalentTo("2379", "2380");
        dockerfile.Environment().Should().Contain("ETCD_DATA_DIR", "/data");
        var health = Dockerfile.ExecForm(runtime.Single(i => i.Keyword == "HEALTHCHECK").Arguments);
        health.Should().Equal("kvctl", "--endpoints", "http://127.0.0.1:2379", "endpoint", "health");
    }

    private static IEnumerable<string> PublishedProjects(string run) =>
        run.Split("&&").Select(c => c.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 2 && w[0] == "dotnet" && w[1] == "publish")
            .Select(w => w[2]);

    private static IEnumerable<string> PublishOutputs(string run) =>
        run.Split("&&").Select(c => c.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 2 && w[0] == "dotnet" && w[1] == "publish")
            .Select(w => w[Array.IndexOf(w, "-o") + 1]);

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            File.Exists(next).Should().BeTrue($"{next} exists");
            if (!seen.Add(next))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value)));
            }
        }

        return seen;
    }
}
