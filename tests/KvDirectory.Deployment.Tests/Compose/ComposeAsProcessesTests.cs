using System.Net;
using System.Text.Json;
using KvDirectory.Deployment.Tests.Docker;
using KvDirectory.Testing;

namespace KvDirectory.Deployment.Tests.Compose;

/// <summary>
/// No container engine runs here, so docker-compose.yml is tested by starting its very member configurations as local
/// processes: the Dockerfile's ENV, then each service's environment and command line, with service names and
/// published ports mapped to loopback ports and each /data volume to a temp dir. The cluster must form, take a write on
/// every member and serve every write to a quorum read on every member; the image's health check must pass on each.
/// </summary>
public sealed class ComposeAsProcessesTests
{
    [Fact]
    public async Task The_compose_cluster_forms_takes_writes_everywhere_and_serves_quorum_reads()
    {
        var services = ComposeFile.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")));
        var dockerfile = Dockerfile.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docker", "Dockerfile")));
        services.Select(s => s.Name).Should().Equal("kv1", "kv2", "kv3");
        services.Should().AllSatisfy(s =>
        {
            s.Volumes.Should().ContainSingle(v => v.Target == "/data", "each member keeps its data in its own volume");
            s.Ports.Should().ContainSingle(p => p.Container == 2379, "each member's client port is published");
        });
        services.Select(s => s.Volumes.Single().Source).Should().OnlyHaveUniqueItems();

        var mapping = new LoopbackMapping(services);
        var dataDirs = services.ToDictionary(s => s.Name, s => Directory.CreateTempSubdirectory($"compose-{s.Name}-").FullName);
        var members = new List<MemberProcess>();
        try
        {
            foreach (var service in services)
            {
                var environment = dockerfile.Environment()
                    .Concat(service.Environment)
                    .GroupBy(e => e.Key)
                    .ToDictionary(g => g.Key, g => mapping.Map(service.Name, g.Last().Value, dataDirs[service.Name]), StringComparer.Ordinal);
                var arguments = service.Command.Select(a => mapping.Map(service.Name, a, dataDirs[service.Name]));
                members.Add(MemberProcess.Start("dotnet", [RepositoryPaths.ServerDll, .. arguments], environment));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var service in services)
            {
                await WaitHealthyAsync(http, mapping.ClientUrl(service.Name), () => string.Join("\n", members.Select(m => m.Output)));
            }

            foreach (var service in services)
            {
                using var list = JsonDocument.Parse(await http.GetStringAsync($"{mapping.ClientUrl(service.Name)}/v2/members"));
                var listed = list.RootElement.GetProperty("members").EnumerateArray()
                    .Select(m => (Name: m.GetProperty("name").GetString(), Client: m.GetProperty("clientURLs")[0].GetString()))
                    .OrderBy(m => m.Name, StringComparer.Ordinal);
                listed.Should().Equal(services.Select(s => (Name: (string?)s.Name, Client: (string?)mapping.ClientUrl(s.Name))), "every member knows all three by their advertised (published) client URLs");
            }

            foreach (var service in services)
            {
                using var put = await http.PutAsync(
                    $"{mapping.ClientUrl(service.Name)}/v2/keys/compose/{service.Name}",
                    new FormUrlEncodedContent([new("value", $"written via {service.Name}")]));
                put.StatusCode.Should().Be(HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
            }

            foreach (var reader in services)
            {
                foreach (var writer in services)
                {
                    using var document = JsonDocument.Parse(await http.GetStringAsync($"{mapping.ClientUrl(reader.Name)}/v2/keys/compose/{writer.Name}?quorum=true"));
                    document.RootElement.GetProperty("node").GetProperty("value").GetString().Should().Be($"written via {writer.Name}");
                }
            }

            var health = Dockerfile.ExecForm(dockerfile.All("HEALTHCHECK").Single().Arguments);
            health[0].Should().Be("kvctl");
            foreach (var service in services)
            {
                var check = await CommandRunner.RunAsync("dotnet", [RepositoryPaths.CliDll, .. health.Skip(1).Select(a => mapping.Map(service.Name, a, dataDirs[service.Name]))]);
                check.ExitCode.Should().Be(0, $"the image's HEALTHCHECK passes on {service.Name}: {check.StandardError}");
            }
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }

            foreach (var dir in dataDirs.Values)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static async Task WaitHealthyAsync(HttpClient http, string endpoint, Func<string> output)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"{endpoint}/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{endpoint} was not healthy in time:\n{output()}");
            }

            await Task.Delay(100);
        }
    }
}
