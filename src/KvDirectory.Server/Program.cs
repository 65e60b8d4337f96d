using KvDirectory.Server.Hosting;
using KvDirectory.Transport;
using KvDirectory.Transport.Tls;

try
{
    var app = ServerHost.Build(args);
    await app.RunAsync();
}
catch (CertificateFileException error)
{
    // Refuse to start rather than serve plain HTTP where TLS was asked for; the message names the flag to fix.
    await Console.Error.WriteLineAsync($"kvdirectory: cannot start: {error.Message}");
    return 1;
}
catch (PeerListenException error)
{
    await Console.Error.WriteLineAsync($"kvdirectory: cannot start: {error.Message}");
    return 1;
}
catch (ClientListenException error)
{
    await Console.Error.WriteLineAsync($"kvdirectory: cannot start: {error.Message}");
    return 1;
}

return 0;
