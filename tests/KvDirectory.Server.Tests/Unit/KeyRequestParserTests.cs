using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using KvDirectory.Server.Keys;

namespace KvDirectory.Server.Tests.Unit;

public sealed class KeyRequestParserTests
{
    public static TheoryData<string, string, int, string> BadRequests => new()
    {
        { "GET", "prevIndex=x", EtcdErrorCode.IndexNaN, "invalid value for \"prevIndex\"" },
        { "GET", "prevIndex=", EtcdErrorCode.IndexNaN, "invalid value for \"prevIndex\"" },
        { "GET", "waitIndex=-1", EtcdErrorCode.IndexNaN, "invalid value for \"waitIndex\"" },
        { "GET", "recursive=yes", EtcdErrorCode.InvalidField, "invalid value for \"recursive\"" },
        { "GET", "recursive=", EtcdErrorCode.InvalidField, "invalid value for \"recursive\"" },
        { "GET", "sorted=2", EtcdErrorCode.InvalidField, "invalid value for \"sorted\"" },
        { "GET", "wait=no", EtcdErrorCode.InvalidField, "invalid value for \"wait\"" },
        { "PUT", "dir=maybe", EtcdErrorCode.InvalidField, "invalid value for \"dir\"" },
        { "GET", "quorum=x", EtcdErrorCode.InvalidField, "invalid value for \"quorum\"" },
        { "GET", "stream=x", EtcdErrorCode.InvalidField, "invalid value for \"stream\"" },
        { "PUT", "wait=true", EtcdErrorCode.InvalidField, "\"wait\" can only be used with GET requests" },
        { "HEAD", "wait=true", EtcdErrorCode.InvalidField, "\"wait\" can only be used with GET requests" },
        { "PUT", "prevValue=", EtcdErrorCode.PrevValueRequired, "\"prevValue\" cannot be empty" },
        { "PUT", "noValueOnSuccess=x", EtcdErrorCode.InvalidField, "invalid value for \"noValueOnSuccess\"" },
        { "PUT", "ttl=abc", EtcdErrorCode.TtlNaN, "invalid value for \"ttl\"" },
        { "PUT", "ttl=-5", EtcdErrorCode.TtlNaN, "invalid value for \"ttl\"" },
        { "PUT", "prevExist=x", EtcdErrorCode.InvalidField, "invalid value for prevExist" },
        { "PUT", "refresh=x", EtcdErrorCode.InvalidField, "invalid value for refresh" },
        { "PUT", "refresh=true&ttl=5&value=v", EtcdErrorCode.RefreshValue, "A value was provided on a refresh" },
        { "PUT", "refresh=true", EtcdErrorCode.RefreshTtlRequired, "No TTL value set" },
        // Two bad parameters: etcd reports the one it checks first.
        { "GET", "recursive=x&prevIndex=y", EtcdErrorCode.IndexNaN, "invalid value for \"prevIndex\"" },
        { "PUT", "ttl=x&prevValue=", EtcdErrorCode.PrevValueRequired, "\"prevValue\" cannot be empty" },
        { "PUT", "stream=x&wait=true", EtcdErrorCode.InvalidField, "invalid value for \"stream\"" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_parameters_answer_etcds_error_with_index_zero(string method, string query, int code, string cause)
    {
        var act = () => KeyRequestParser.Parse(method, "/k", Form(query));

        var error = act.Should().Throw<EtcdException>().Which;
        error.ErrorCode.Should().Be(code);
        error.Cause.Should().Be(cause);
        error.Index.Should().Be(0);
    }

    [Fact]
    public void An_empty_ttl_means_permanent_and_zero_indexes_mean_no_condition()
    {
        var request = KeyRequestParser.Parse("PUT", "/k", Form("ttl=&prevIndex=0&waitIndex=0&value=v"));

        request.Ttl.Should().BeNull();
        request.PrevIndex.Should().Be(0);
        request.Value.Should().Be("v");
    }

    [Fact]
    public void Refresh_with_an_empty_value_and_a_ttl_is_accepted()
    {
        var request = KeyRequestParser.Parse("PUT", "/k", Form("refresh=true&ttl=5&value="));

        request.Refresh.Should().BeTrue();
        request.Ttl.Should().Be(5);
    }

    private static FormValues Form(string query)
    {
        var form = new FormValues();
        GoQueryParser.ParseInto(query, form).Should().BeNull();
        return form;
    }
}
