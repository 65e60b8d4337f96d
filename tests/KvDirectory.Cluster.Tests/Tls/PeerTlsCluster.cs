using KvDirectory.Testing.Processes;
using System.Net;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// Three of our members whose peer port is TLS with mutual authentication (every member's peer certificate from one
/// test CA, trusted through --peer-trusted-ca-file, --peer-client-cert-auth); clients talk plain HTTP. Started once
/// per test class; disposing kills every process and deletes the files.
/// </summary>
public sealed class PeerTlsCluster : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"kvdirectory-peer-tls-{Guid.NewGuid():N}");
    private readonly List<LaunchedServer> _processes = [];

    public PeerTlsCluster()
    {
        Ca = new TestCa(Path.Combine(_root, "pki"), "peer-ca");
        Foreign = new TestCa(Path.Combine(_root, "foreign"), "foreign-ca");
        Members = [.. new[] { "a", "b", "c" }.Select(name => new PeerTlsMember(
            name,
            new Uri($"http://127.0.0.1:{FreePort.Next()}"),
            new Uri($"https://127.0.0.1:{FreePort.Next()}"),
            Ca.Issue($"peer-{name}")))];
        InitialCluster = string.Join(',', Members.Select(m => $"{m.Name}={Trim(m.PeerUrl)}"));
    }

    public TestCa Ca { get; }

    public TestCa Foreign { get; }

    public IReadOnlyList<PeerTlsMember> Members { get; }

    public string InitialCluster { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Output => string.Join(Environment.NewLine, _processes.Select(p => p.Output));

    public async Task InitializeAsync()
    {
        foreach (var member in Members)
        {
            _processes.Add(Launch(member, InitialCluster, "new", member.PeerCertificate, Ca.CaFile));
        }

        await Task.WhenAll(Members.Select((member, i) => _processes[i].WaitUntilHealthyAsync(member.ClientUrl, TimeSpan.FromSeconds(90), Http)));
    }

    /// <summary>Starts a further member (the caller owns it) with the given peer certificate and trusted CA.</summary>
    public LaunchedServer Launch(PeerTlsMember member, string initialCluster, string state, CertFiles peerCertificate, string trustedCaFile)
    {
        var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments =
            [
                .. ServerLaunch.MemberFlags(member.Name, Path.Combine(_root, member.Name), Trim(member.ClientUrl), Trim(member.PeerUrl), initialCluster),
                "--initial-cluster-state", state,
                "--peer-cert-file", peerCertificate.CertFile,
                "--peer-key-file", peerCertificate.KeyFile,
                "--peer-trusted-ca-file", trustedCaFile,
                "--peer-client-cert-auth",
            ],
        });
        return process;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; there is no event to await for replication or a reload.</summary>
    public async Task EventuallyAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within 60 s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<HttpStatusCode> PutAsync(PeerTlsMember member, string key, string value)
    {
        using var response = await Http.PutAsync(new Uri(member.ClientUrl, $"/v2/keys/{key}"), new FormUrlEncodedContent([new("value", value)]));
        return response.StatusCode;
    }

    public async Task<string?> GetAsync(PeerTlsMember member, string key)
    {
        using var response = await Http.GetAsync(new Uri(member.ClientUrl, $"/v2/keys/{key}"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Http.Dispose();
        Ca.Dispose();
        Foreign.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Trim(Uri url) => url.ToString().TrimEnd('/');
}

public sealed record PeerTlsMember(string Name, Uri ClientUrl, Uri PeerUrl, CertFiles PeerCertificate);
