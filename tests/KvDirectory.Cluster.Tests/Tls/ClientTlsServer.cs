using KvDirectory.Testing.Processes;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests.Tls;

/// <summary>
/// One etcd or KvDirectory member whose client port is https with client-certificate auth, from files of a test CA;
/// a second, foreign CA issues certificates the server must refuse. Disposing kills the server and deletes the files.
/// </summary>
public sealed class ClientTlsServer : IAsyncDisposable
{
    private readonly string _root;

    private ClientTlsServer(string root, TestCa ca, TestCa foreign, CertFiles serverCertificate, CertFiles clientCertificate, Uri clientUrl, LaunchedServer process)
    {
        _root = root;
        Ca = ca;
        Foreign = foreign;
        ServerCertificate = serverCertificate;
        ClientCertificate = clientCertificate;
        ClientUrl = clientUrl;
        Process = process;
    }

    public TestCa Ca { get; }

    public TestCa Foreign { get; }

    public CertFiles ServerCertificate { get; }

    public CertFiles ClientCertificate { get; }

    public Uri ClientUrl { get; }

    public LaunchedServer Process { get; }

    /// <param name="throughEnvironment">Give the TLS settings as ETCD_* environment variables instead of flags.</param>
    public static async Task<ClientTlsServer> StartAsync(string kind, bool throughEnvironment = false)
    {
        var root = Path.Combine(Path.GetTempPath(), $"kvdirectory-tls-{Guid.NewGuid():N}");
        var ca = new TestCa(Path.Combine(root, "pki"), "test-ca");
        var foreign = new TestCa(Path.Combine(root, "foreign"), "foreign-ca");
        var serverCertificate = ca.Issue("server");
        var clientCertificate = ca.Issue("client");
        var clientUrl = new Uri($"https://127.0.0.1:{FreePort.Next()}");
        var peerUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var process = LaunchedServer.Start(new ServerLaunch
        {
            Kind = kind,
            Arguments =
            [
                .. ServerLaunch.SingleMemberFlags(Path.Combine(root, "data"), clientUrl.ToString().TrimEnd('/'), peerUrl),
                .. throughEnvironment
                    ? Array.Empty<string>()
                    : ["--cert-file", serverCertificate.CertFile, "--key-file", serverCertificate.KeyFile, "--trusted-ca-file", ca.CaFile, "--client-cert-auth"],
            ],
            Environment = throughEnvironment
                ? new Dictionary<string, string>
                {
                    ["ETCD_CERT_FILE"] = serverCertificate.CertFile,
                    ["ETCD_KEY_FILE"] = serverCertificate.KeyFile,
                    ["ETCD_TRUSTED_CA_FILE"] = ca.CaFile,
                    ["ETCD_CLIENT_CERT_AUTH"] = "true",
                }
                : new Dictionary<string, string>(),
        });
        var server = new ClientTlsServer(root, ca, foreign, serverCertificate, clientCertificate, clientUrl, process);
        try
        {
            using var http = TlsClients.Http(ca.CaFile, clientCertificate);
            await process.WaitUntilHealthyAsync(clientUrl, TimeSpan.FromSeconds(60), http);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
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
}
