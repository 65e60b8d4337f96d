using KvDirectory.Server.Configuration;
using KvDirectory.Transport.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvDirectory.Server.Hosting;

/// <summary>
/// The client port's and the peer port's TLS material, loaded from the flags before anything listens: a missing or
/// unreadable file stops the start with an error naming its flag, never a silent fall-back to plain HTTP. As etcd,
/// TLS is on for a port when its URLs are https; certificate files given for an http port are ignored with a warning.
/// </summary>
public sealed partial class ServerTls
{
    private ServerTls(TlsMaterial? client, TlsMaterial? peer, bool peerPortTls, IReadOnlyList<string> warnings)
    {
        Client = client;
        Peer = peer;
        PeerPortTls = peerPortTls;
        Warnings = warnings;
    }

    /// <summary>Null when no client URL is https.</summary>
    public TlsMaterial? Client { get; }

    /// <summary>Null when the peer URLs are http and no peer certificate is given (with one, https peers are dialled with it).</summary>
    public TlsMaterial? Peer { get; }

    /// <summary>Whether a --listen-peer-urls entry is https (else <see cref="Peer"/> only serves dialling https peers).</summary>
    private bool PeerPortTls { get; }

    /// <summary>Where reload failures are logged; the host sets it once its logging exists.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    private IReadOnlyList<string> Warnings { get; }

    /// <summary>Throws <see cref="CertificateFileException"/> naming the flag when the TLS a URL asks for cannot be set up.</summary>
    public static ServerTls Load(ServerOptions options)
    {
        var warnings = new List<string>();
        ServerTls? self = null;
        void ReloadFailed(string flag, Exception error) => LogReloadFailed(self!.Logger, flag, error.Message);
        void Reloaded(string flag) => LogReloaded(self!.Logger, flag);

        var clientFiles = new TlsFiles(
            options.CertFile, options.KeyFile, options.TrustedCaFile, options.ClientCertAuth, "--cert-file", "--key-file", "--trusted-ca-file");
        var client = Material(options.ListenClientUrlList, clientFiles, "client", warnings, ReloadFailed, Reloaded);
        var peerFiles = new TlsFiles(
            options.PeerCertFile, options.PeerKeyFile, options.PeerTrustedCaFile, options.PeerClientCertAuth, "--peer-cert-file", "--peer-key-file", "--peer-trusted-ca-file");
        var peer = PeerMaterial(options.ListenPeerUrlList, peerFiles, warnings, ReloadFailed, Reloaded);
        var peerPortTls = options.ListenPeerUrlList.Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        self = new ServerTls(client, peer, peerPortTls, warnings);
        return self;
    }

    /// <summary>Logs what was ignored, and which ports use TLS.</summary>
    public void LogStartup(ILogger logger)
    {
        Logger = logger;
        foreach (var warning in Warnings)
        {
            LogIgnored(logger, warning);
        }

        if (Client is { } client)
        {
            LogTlsOn(logger, "client", client.Certificate.Subject, client.Certificate.NotAfter, client.Files.RequiresClientCertificate);
        }

        if (Peer is { } peer && PeerPortTls)
        {
            LogTlsOn(logger, "peer", peer.Certificate.Subject, peer.Certificate.NotAfter, peer.Files.RequiresClientCertificate);
        }
        else if (Peer is { } dialling)
        {
            LogPeerCertificateForDialling(logger, dialling.Certificate.Subject, dialling.Certificate.NotAfter);
        }
    }

    private static TlsMaterial? Material(
        IReadOnlyList<string> urls, TlsFiles files, string port, List<string> warnings, Action<string, Exception> reloadFailed, Action<string> reloaded)
    {
        var https = urls.FirstOrDefault(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (https is null)
        {
            if (files.HasCertificate || files.RequiresClientCertificate)
            {
                warnings.Add($"the {port} URLs are http: {files.CertFlag}, {files.KeyFlag}, {files.TrustedCaFlag} and client-cert-auth are ignored for them");
            }

            return null;
        }

        if (!files.HasCertificate)
        {
            throw new CertificateFileException(
                $"{files.CertFlag}, {files.KeyFlag}", "(not given)", $"TLS key and certificate must be provided for {port} url {https} with HTTPS scheme");
        }

        return new TlsMaterial(files, reloadFailed, reloaded);
    }

    /// <summary>
    /// As etcd, a member whose own peer URLs are all http still dials https peers with its peer certificate (a cluster
    /// may mix schemes): the files are loaded when given, and only the listening side ignores them, with the warning.
    /// </summary>
    private static TlsMaterial? PeerMaterial(
        IReadOnlyList<string> urls, TlsFiles files, List<string> warnings, Action<string, Exception> reloadFailed, Action<string> reloaded)
    {
        var material = Material(urls, files, "peer", warnings, reloadFailed, reloaded);
        return material is null && files.HasCertificate ? new TlsMaterial(files, reloadFailed, reloaded) : material;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogIgnored(ILogger logger, string warning);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "TLS on the {Port} port with certificate {Subject} (valid until {NotAfter:u}); client certificates required: {ClientCertAuth}")]
    private static partial void LogTlsOn(ILogger logger, string port, string subject, DateTime notAfter, bool clientCertAuth);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "The peer port is plain http; the peer certificate {Subject} (valid until {NotAfter:u}) is used to dial members with https peer URLs")]
    private static partial void LogPeerCertificateForDialling(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Reloaded the changed file(s) of {Flag}; new connections use them")]
    private static partial void LogReloaded(ILogger logger, string flag);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Reloading the file of {Flag} failed, the previous certificate stays in use: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string flag, string reason);
}
