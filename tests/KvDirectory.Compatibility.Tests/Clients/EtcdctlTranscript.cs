using System.Text;
using System.Text.RegularExpressions;
using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.Clients;

/// <summary>
/// Runs etcdctl (v2 API, unmodified) commands against one server and keeps a normalised transcript:
/// command, exit code, stdout, stderr, with URLs, member ids, ttls and indexes made comparable across servers.
/// </summary>
public sealed partial class EtcdctlTranscript(ServerProcess server, IndexRebase rebase, string prefix)
{
    private const string Etcdctl = "/usr/bin/etcdctl";
    private readonly StringBuilder _text = new();

    public ServerProcess Server => server;

    public string Text => _text.ToString();

    public List<CommandResult> Results { get; } = [];

    public static async Task<EtcdctlTranscript> StartAsync(ServerProcess server, string prefix) =>
        new(server, new IndexRebase(await RawHttp.CurrentIndexAsync(server.ClientUrl)), prefix);

    public Dictionary<string, string?> Environment => new() { ["ETCDCTL_API"] = "2" };

    public IEnumerable<string> Arguments(params string[] arguments) =>
        new[] { "--endpoints", server.Endpoint }.Concat(arguments.Select(a => rebase.Resolve(a, prefix)));

    public async Task<CommandResult> RunAsync(params string[] arguments)
    {
        var result = await CommandRunner.RunAsync(Etcdctl, Arguments(arguments), Environment, TimeSpan.FromSeconds(30));
        Record(arguments, result);
        return result;
    }

    public void Record(string[] arguments, CommandResult result)
    {
        Results.Add(result);
        _text.Append("$ etcdctl ").AppendLine(string.Join(' ', arguments))
            .Append("exit ").Append(result.ExitCode).AppendLine()
            .AppendLine(Normalise(result.StandardOutput))
            .AppendLine(Normalise(result.StandardError));
    }

    private string Normalise(string output)
    {
        var text = Urls().Replace(output, "http://127.0.0.1:<port>");
        text = MemberIds().Replace(text, "<member-id>");
        text = Ttls().Replace(text, m => m.Groups[1].Value + "<ttl>");
        text = Expirations().Replace(text, "\"expiration\":\"<expiration>\"");
        text = rebase.RebaseSequencesIn(text);
        return IndexNumbers().Replace(text, m => m.Groups[1].Value + rebase.Rebase(m.Groups[2].Value) + m.Groups[3].Value).TrimEnd();
    }

    /// <summary>
    /// Only where etcdctl prints an index: extended/JSON fields, the trailing "[index]" of an error and the numbers of
    /// a compare-failed cause. Error codes and values stay as printed.
    /// </summary>
    [GeneratedRegex(@"(Index: |Index"":|\[|!= )(\d+)(\]|\b)")]
    private static partial Regex IndexNumbers();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex Urls();

    // Go prints member ids with %x, so an id with a leading zero nibble is shorter than 16 digits.
    [GeneratedRegex(@"\b[0-9a-f]{10,16}\b")]
    private static partial Regex MemberIds();

    [GeneratedRegex(@"(TTL: |""ttl"":)\d+")]
    private static partial Regex Ttls();

    [GeneratedRegex(@"""expiration"":""[^""]*""")]
    private static partial Regex Expirations();
}
