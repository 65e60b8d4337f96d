using KvDirectory.Testing.Processes;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>A TLS port that cannot be set up stops the start with an error naming the flag: never plain HTTP instead.</summary>
public sealed class TlsStartupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"kvdirectory-tls-start-{Guid.NewGuid():N}");
    private readonly TestCa _ca;

    public TlsStartupTests() => _ca = new TestCa(Path.Combine(_root, "pki"), "test-ca");

    [Fact]
    public async Task A_missing_certificate_file_is_named_and_the_server_does_not_start()
    {
        var key = _ca.Issue("server").KeyFile;
        var missing = Path.Combine(_root, "pki", "no-such-cert.pem");

        var output = await RefusedStartAsync(["--cert-file", missing, "--key-file", key]);

        output.Should().Contain("--cert-file").And.Contain(missing);
    }

    [Fact]
    public async Task An_unreadable_trusted_ca_file_is_named_and_the_server_does_not_start()
    {
        var certificate = _ca.Issue("server");
        var garbage = Path.Combine(_root, "pki", "garbage-ca.pem");
        await File.WriteAllTextAsync(garbage, "not a certificate");

        var output = await RefusedStartAsync(
            ["--cert-file", certificate.CertFile, "--key-file", certificate.KeyFile, "--trusted-ca-file", garbage, "--client-cert-auth"]);

        output.Should().Contain("--trusted-ca-file").And.Contain(garbage);
    }

    [Fact]
    public async Task An_https_client_url_without_a_certificate_is_refused_not_served_in_clear()
    {
        var output = await RefusedStartAsync([]);

        output.Should().Contain("--cert-file").And.Contain("HTTPS");
    }

    [Fact]
    public async Task An_https_peer_url_without_a_peer_certificate_is_refused()
    {
        var certificate = _ca.Issue("server");
        var peer = $"https://127.0.0.1:{FreePort.Next()}";

        var output = await RefusedStartAsync(
            ["--cert-file", certificate.CertFile, "--key-file", certificate.KeyFile,
             "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"default={peer}"]);

        output.Should().Contain("--peer-cert-file");
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<string> RefusedStartAsync(string[] tlsArguments)
    {
        var client = $"https://127.0.0.1:{FreePort.Next()}";
        var peer = $"http://127.0.0.1:{FreePort.Next()}";
        await using var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = ServerLaunch.KvDirectory,
            Arguments =
            [
                "--name", "default",
                "--data-dir", Path.Combine(_root, "data"),
                "--listen-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", $"default={peer}",
                .. tlsArguments,
            ],
        });
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("the server must refuse to start:\n" + process.Output);
        process.ExitCode.Should().NotBe(0, process.Output);
        return process.Output;
    }
}
