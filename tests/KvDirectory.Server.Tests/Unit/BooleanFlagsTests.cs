using KvDirectory.Server.Configuration;

namespace KvDirectory.Server.Tests.Unit;

public sealed class BooleanFlagsTests
{
    [Theory]
    [InlineData("--explorer-read-only", "--explorer-read-only=true")]
    [InlineData("--explorer-read-only --name x", "--explorer-read-only=true --name x")]
    [InlineData("-explorer-read-only", "-explorer-read-only=true")]
    [InlineData("--explorer-read-only false", "--explorer-read-only false")]
    [InlineData("--explorer-read-only=false", "--explorer-read-only=false")]
    [InlineData("--name explorer-read-only", "--name explorer-read-only")]
    public void A_bare_boolean_flag_means_true_as_in_etcd(string given, string expected) =>
        string.Join(' ', BooleanFlags.Normalize(given.Split(' '))).Should().Be(expected);
}
