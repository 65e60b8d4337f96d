using KvDirectory.Benchmarks.Single;

namespace KvDirectory.Benchmarks.Tests;

/// <summary>The figures <c>--generator wrk</c> takes from wrk's own report (wrk 4, <c>--latency</c>).</summary>
public sealed class WrkReportTests
{
    private const string Clean = """
        Running 10s test @ http://127.0.0.1:23790
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     1.90ms    2.33ms  37.79ms   97.02%
            Req/Sec    18.38k     2.32k   23.61k    71.50%
          Latency Distribution
             50%    1.51ms
             75%    1.84ms
             90%    2.30ms
             99%   14.92ms
          366357 requests in 10.02s, 265.45MB read
        Requests/sec:  36571.13
        Transfer/sec:     26.50MB
        """;

    private const string WithFailures = """
        Running 2s test @ http://127.0.0.1:2379
          2 threads and 8 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   812.00us  101.20us    1.02s    92.00%
            Req/Sec     4.50k   300.00      5.00k    70.00%
          Latency Distribution
             50%  790.00us
             75%  850.00us
             90%  900.00us
             99%    1.20ms
          18000 requests in 2.00s, 3.00MB read
          Socket errors: connect 0, read 2, write 1, timeout 4
          Non-2xx or 3xx responses: 5
        Requests/sec:   9000.00
        """;

    [Fact]
    public void A_clean_report_gives_the_requests_the_window_and_the_latencies_in_milliseconds()
    {
        var result = WrkLoad.Parse("kvdirectory", "put", Clean);

        result.Requests.Should().Be(366357);
        result.Errors.Should().Be(0);
        result.Elapsed.Should().Be(TimeSpan.FromSeconds(10.02));
        result.P50Milliseconds.Should().Be(1.51);
        result.P99Milliseconds.Should().Be(14.92);
        result.MaxMilliseconds.Should().Be(37.79);
    }

    [Fact]
    public void Failed_answers_and_socket_errors_count_as_errors_and_every_unit_converts()
    {
        var result = WrkLoad.Parse("etcd", "get", WithFailures);

        result.Errors.Should().Be(5 + 2 + 1 + 4);
        result.P50Milliseconds.Should().BeApproximately(0.79, 1e-9);
        result.P99Milliseconds.Should().Be(1.2);
        result.MaxMilliseconds.Should().Be(1020);
    }

    [Fact]
    public void What_is_not_a_wrk_report_is_refused_with_the_text()
    {
        var parse = () => WrkLoad.Parse("etcd", "get", "unable to connect to 127.0.0.1:2379 Connection refused");

        parse.Should().Throw<FormatException>().WithMessage("*Connection refused*");
    }
}
