using KvDirectory.Compatibility.Tests.Harness;
using KvDirectory.Testing;

namespace KvDirectory.Compatibility.Tests.HarnessTests;

/// <summary>The pair refuses a reference that is not etcd 3.4.x, and the installed etcd is one.</summary>
public sealed class ReferenceVersionTests
{
    [Theory]
    [InlineData("""{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}""", "3.4.23")]
    [InlineData("""{"etcdserver":"3.4.0","etcdcluster":"3.4.0"}""", "3.4.0")]
    public void An_etcd_3_4_reference_is_accepted(string body, string expected) =>
        ReferenceVersion.Require(body).Should().Be(expected);

    [Theory]
    [InlineData("""{"etcdserver":"3.5.9","etcdcluster":"3.5.0"}""")]
    [InlineData("""{"etcdserver":"3.3.27","etcdcluster":"3.3.0"}""")]
    [InlineData("""{"etcdserver":"13.4.0"}""")]
    [InlineData("""{"etcdcluster":"3.4.0"}""")]
    [InlineData("not json")]
    public void Any_other_reference_is_refused(string body)
    {
        var require = () => ReferenceVersion.Require(body);

        require.Should().Throw<InvalidOperationException>().WithMessage("*3.4.x*");
    }

    [Fact]
    public async Task The_installed_reference_is_etcd_3_4()
    {
        await using var etcd = await ServerProcess.StartEtcdAsync();

        ReferenceVersion.Require((await RawHttp.SendAsync(etcd.ClientUrl, "GET", "/version")).Body).Should().StartWith("3.4.");
    }
}
