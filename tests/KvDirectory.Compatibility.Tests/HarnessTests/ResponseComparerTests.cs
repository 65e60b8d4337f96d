using System.Text.Json.Nodes;
using KvDirectory.Compatibility.Tests.Harness;

namespace KvDirectory.Compatibility.Tests.HarnessTests;

/// <summary>The comparison must be able to fail: an etcd-vs-etcd run proves nothing if every difference is normalised away.</summary>
public sealed class ResponseComparerTests
{
    private static readonly IndexRebase Ten = new(10);
    private static readonly IndexRebase Twenty = new(20);

    private static HttpSnapshot Json(int status, string body, string? etcdIndex = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
        if (etcdIndex is not null)
        {
            headers["X-Etcd-Index"] = etcdIndex;
        }

        return new HttpSnapshot(status, headers, body);
    }

    private static List<string> Compare(HttpSnapshot left, IndexRebase leftBase, HttpSnapshot right, IndexRebase rightBase, bool sorted = false) =>
        ResponseComparer.Differences(
            ResponseNormaliser.Normalise(left, leftBase, CompareMode.Exact, sorted),
            ResponseNormaliser.Normalise(right, rightBase, CompareMode.Exact, sorted));

    [Fact]
    public void Indexes_equal_relative_to_each_base_are_equal() =>
        Compare(Json(201, """{"action":"set","node":{"key":"/a","modifiedIndex":11,"createdIndex":11}}""", "11"), Ten,
                Json(201, """{"action":"set","node":{"key":"/a","modifiedIndex":21,"createdIndex":21}}""", "21"), Twenty).Should().BeEmpty();

    [Fact]
    public void A_different_relative_index_is_a_difference() =>
        Compare(Json(200, """{"node":{"modifiedIndex":11}}""", "11"), Ten, Json(200, """{"node":{"modifiedIndex":22}}""", "22"), Twenty)
            .Should().HaveCount(2);

    [Fact]
    public void Status_value_and_missing_members_are_differences() =>
        Compare(Json(200, """{"node":{"value":"a","ttl":5}}"""), Ten, Json(201, """{"node":{"value":"b"}}"""), Ten)
            .Should().HaveCount(3);

    [Fact]
    public void Ttl_may_differ_by_one_second_but_not_two()
    {
        Compare(Json(200, """{"node":{"ttl":5}}"""), Ten, Json(200, """{"node":{"ttl":4}}"""), Ten).Should().BeEmpty();
        Compare(Json(200, """{"node":{"ttl":5}}"""), Ten, Json(200, """{"node":{"ttl":3}}"""), Ten).Should().ContainSingle();
    }

    [Fact]
    public void Expiration_values_are_masked_but_presence_and_format_must_match()
    {
        const string etcd = """{"node":{"expiration":"2026-11-23T23:55:59.436258683Z"}}""";
        Compare(Json(200, etcd), Ten, Json(200, """{"node":{"expiration":"2026-11-23T23:55:58.4384395Z"}}"""), Ten).Should().BeEmpty();
        Compare(Json(200, etcd), Ten, Json(200, """{"node":{}}"""), Ten).Should().ContainSingle();
        Compare(Json(200, etcd), Ten, Json(200, """{"node":{"expiration":"11/23/2026 23:55:59"}}"""), Ten).Should().ContainSingle("the format is part of the contract");
    }

    [Fact]
    public void Listing_order_matters_only_when_sorted()
    {
        var ab = Json(200, """{"node":{"nodes":[{"key":"/a"},{"key":"/b"}]}}""");
        var ba = Json(200, """{"node":{"nodes":[{"key":"/b"},{"key":"/a"}]}}""");
        Compare(ab, Ten, ba, Ten).Should().BeEmpty();
        Compare(ab, Ten, ba, Ten, sorted: true).Should().NotBeEmpty();
    }

    [Fact]
    public void In_order_key_names_and_cause_numbers_are_rebased()
    {
        Compare(Json(200, """{"node":{"key":"/q/00000000000000000011"},"cause":"[11 != 12]"}"""), Ten,
                Json(200, """{"node":{"key":"/q/00000000000000000021"},"cause":"[21 != 22]"}"""), Twenty).Should().BeEmpty();
        Compare(Json(200, """{"cause":"[11 != 12]"}"""), Ten, Json(200, """{"cause":"[21 != 21]"}"""), Twenty).Should().ContainSingle();
    }

    [Fact]
    public void Presence_only_headers_must_still_be_present()
    {
        var with = new HttpSnapshot(200, new Dictionary<string, string> { ["X-Raft-Term"] = "2" }, "");
        var without = new HttpSnapshot(200, new Dictionary<string, string>(), "");
        Compare(with, Ten, without, Ten).Should().ContainSingle();
    }

    [Fact]
    public void Text_bodies_are_compared_as_text() =>
        Compare(new HttpSnapshot(404, new Dictionary<string, string>(), "404 page not found\n"), Ten,
                new HttpSnapshot(404, new Dictionary<string, string>(), "Not Found"), Ten).Should().ContainSingle();

    [Fact]
    public void Shape_mode_compares_member_names_and_kinds_only()
    {
        var left = ResponseNormaliser.Normalise(Json(200, """{"a":1,"b":"x"}"""), Ten, CompareMode.Shape, false);
        var same = ResponseNormaliser.Normalise(Json(200, """{"b":"y","a":2}"""), Ten, CompareMode.Shape, false);
        var other = ResponseNormaliser.Normalise(Json(200, """{"a":"1"}"""), Ten, CompareMode.Shape, false);
        ResponseComparer.Differences(left, same).Should().BeEmpty();
        ResponseComparer.Differences(left, other).Should().HaveCount(2);
        JsonNode.DeepEquals(left.Json, same.Json).Should().BeTrue();
    }

    [Fact]
    public void The_same_value_escaped_otherwise_than_go_is_a_difference() =>
        Compare(Json(200, """{"node":{"key":"/a\"b\u003cé","value":"+'"}}"""), Ten,
                Json(200, """{"node":{"key":"/a\u0022b\u003Cé","value":"\u002B\u0027"}}"""), Ten)
            .Should().ContainSingle().Which.Should().StartWith("string escaping: (all as Go writes them) != ");

    [Fact]
    public void Strings_escaped_as_go_escapes_them_are_equal() =>
        Compare(Json(200, """{"node":{"key":"/a\"b\\\u003c\u003e\u0026\u0001\u0008\u000c\n\t\u2028é😀","value":"+'/"}}"""), Ten,
                Json(200, """{"node":{"key":"/a\"b\\\u003c\u003e\u0026\u0001\u0008\u000c\n\t\u2028é😀","value":"+'/"}}"""), Ten)
            .Should().BeEmpty();

    [Theory]
    [InlineData("a\"b", "a\\\"b")]
    [InlineData("<>&\u2028\u2029", "\\u003c\\u003e\\u0026\\u2028\\u2029")]
    [InlineData("\b\f\n\r\t\u0001", "\\u0008\\u000c\\n\\r\\t\\u0001")]
    [InlineData("é中+'/\u007f", "é中+'/\u007f")]
    public void Go_escaping_reference_matches_what_etcd_writes(string value, string expected) =>
        GoEscaping.Escape(value).Should().Be(expected);
}
