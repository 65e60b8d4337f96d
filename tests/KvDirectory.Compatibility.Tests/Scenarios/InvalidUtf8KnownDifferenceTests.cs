using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>
/// KNOWN-DIFFERENCES.md §4: bytes that are not UTF-8 in a value or key. etcd keeps Go's byte string and its JSON writes
/// each bad byte as <c>\ufffd</c>; we decode the request to .NET text, which turns each bad byte into a real U+FFFD, and
/// Go's encoding writes a real U+FFFD raw (as etcd does for a U+FFFD that was sent as valid UTF-8).
/// </summary>
[Collection(DifferentialCollection.Name)]
public sealed class InvalidUtf8KnownDifferenceTests(DifferentialPair pair)
{
    private const string Prefix = "/invalid-utf-eight-known-difference";

    [Fact]
    public async Task Invalid_utf8_in_a_value_is_escaped_in_etcd_and_a_raw_replacement_character_in_kvdirectory()
    {
        foreach (var server in pair.Both)
        {
            var answer = await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{Prefix}/value", "value=a%FFb");
            answer.Body.Should().Contain(Expected(server), server.Kind);
        }

        string Expected(Testing.ServerProcess server) =>
            server == pair.Reference || !CandidateKind.IsKvDirectory ? "\"value\":\"a\\ufffdb\"" : "\"value\":\"a\ufffdb\"";
    }

    [Fact]
    public async Task Invalid_utf8_in_a_key_is_escaped_in_etcd_and_a_raw_replacement_character_in_kvdirectory()
    {
        foreach (var server in pair.Both)
        {
            // A missing key directly under the root: the cause names the first missing component, this one.
            var answer = await RawHttp.SendAsync(server.ClientUrl, "GET", $"/v2/keys{Prefix}-x%FFy");
            var raw = server == pair.Reference || !CandidateKind.IsKvDirectory ? "\\ufffd" : "\ufffd";
            answer.Body.Should().Contain($"\"cause\":\"{Prefix}-x{raw}y\"", server.Kind);
        }
    }

    [Fact]
    public async Task A_valid_replacement_character_is_written_raw_by_both()
    {
        foreach (var server in pair.Both)
        {
            var answer = await RawHttp.SendAsync(server.ClientUrl, "PUT", $"/v2/keys{Prefix}/valid", "value=a%EF%BF%BDb");
            answer.Body.Should().Contain("\"value\":\"a\ufffdb\"", server.Kind);
        }
    }
}
