using KvDirectory.Server.Hosting;
using KvDirectory.Transport;
using KvDirectory.Transport.Tls;

ReadyToRunExclusion.ApplyByReexecuting();

try
{
    var app = ServerHost.Build(args);
    await app.RunAsync();
}
catch (Exception error) when (error is CertificateFileException or PeerListenException or ClientListenException)
{
    // Refuse to start rather than serve without TLS where it was asked for, or where no client or peer can reach us;
    // the message names the flag to fix.
    await Console.Error.WriteLineAsync($"kvdirectory: cannot start: {error.Message}");
    return 1;
}

return 0;
