using System.CommandLine;
using KvDirectory.Client;

namespace KvDirectory.Cli;

/// <summary>
/// Everything one kvctl run shares: its settings, its single client (and so its single HttpClient) and
/// the command deadline (<c>--total-timeout</c>).
/// </summary>
public sealed class KvctlSession : IDisposable
{
    private readonly Lazy<EtcdClient> _client;

    public KvctlSession(ParseResult parse, TextWriter output, TextWriter error)
    {
        Parse = parse;
        Output = output;
        Error = error;
        Settings = CliSettings.From(parse);
        _client = new Lazy<EtcdClient>(CreateClient);
    }

    public ParseResult Parse { get; }

    public CliSettings Settings { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public string Format => Settings.Output;

    /// <summary>The client without a member sync (cluster-health, endpoint verbs talk to the given endpoints).</summary>
    public EtcdClient RawClient
    {
        get
        {
            var created = !_client.IsValueCreated;
            var client = _client.Value;
            if (created && Settings.Debug)
            {
                Error.WriteLine($"Cluster-Endpoints: {string.Join(", ", client.Endpoints.Select(Display))}");
            }

            return client;
        }
    }

    /// <summary>A deadline for the whole command, as etcdctl applies to every verb but the watches.</summary>
    public CancellationTokenSource StartTotalTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Settings.TotalTimeout > TimeSpan.Zero)
        {
            source.CancelAfter(Settings.TotalTimeout);
        }

        return source;
    }

    /// <summary>The client after etcdctl's member sync: endpoints become the members' published client URLs.</summary>
    public async Task<EtcdClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = _client.Value;
        if (Settings.NoSync)
        {
            WriteEndpointsDebug(client);
            return client;
        }

        if (Settings.Debug)
        {
            Error.WriteLine($"start to sync cluster using endpoints({string.Join(",", client.Endpoints.Select(Display))})");
        }

        using (var deadline = StartTotalTimeout(cancellationToken))
        {
            try
            {
                await client.SyncAsync(deadline.Token);
            }
            catch (ClusterException exception) when (exception.AllConnectionErrors)
            {
                throw new ClusterFailure(exception, ExitCodes.BadConnection);
            }
            catch (Exception exception) when (exception is ClusterException or MembersApiException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // etcdctl carries on with the given endpoints when a sync fails for any reason but unreachability.
            }
        }

        if (Settings.Debug)
        {
            Error.WriteLine($"got endpoints({string.Join(",", client.Endpoints.Select(Display))}) after sync");
        }

        WriteEndpointsDebug(client);
        return client;
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    public static string Display(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority) + endpoint.AbsolutePath.TrimEnd('/');

    private void WriteEndpointsDebug(EtcdClient client)
    {
        if (Settings.Debug)
        {
            Error.WriteLine($"Cluster-Endpoints: {string.Join(", ", client.Endpoints.Select(Display))}");
        }
    }

    private EtcdClient CreateClient()
    {
        string? username = null;
        string? password = null;
        if (!string.IsNullOrEmpty(Settings.Username))
        {
            var colon = Settings.Username.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                username = Settings.Username;
                password = PasswordPrompt.Ask("Password: ");
            }
            else
            {
                username = Settings.Username[..colon];
                password = Settings.Username[(colon + 1)..];
            }
        }

        try
        {
            return NewClient(username, password);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // etcdctl prints transport set-up errors bare and exits 1.
            throw new CliException(exception.Message, ExitCodes.BadArgs, plain: true);
        }
    }

    private EtcdClient NewClient(string? username, string? password) =>
        new(new EtcdClientOptions
        {
            Endpoints = Settings.Endpoints,
            RequestTimeout = Settings.Timeout > TimeSpan.Zero ? Settings.Timeout : System.Threading.Timeout.InfiniteTimeSpan,
            Username = username,
            Password = password,
            CertificateFile = Settings.CertFile,
            KeyFile = Settings.KeyFile,
            TrustedCaFile = Settings.CaFile,
            DebugWriter = Settings.Debug ? Error : null,
        });
}
