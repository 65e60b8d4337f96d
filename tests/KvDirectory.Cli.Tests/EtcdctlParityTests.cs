namespace KvDirectory.Cli.Tests;

/// <summary>
/// The same command lines run through kvctl and through real etcdctl (v2) against the same server, each on its own
/// key prefix: stdout, stderr and exit code must be identical once prefixes, ids and indexes are normalised.
/// </summary>
public sealed class EtcdctlParityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string[]> Scripts => new()
    {
        { "set-get", ["set {p}/a 1", "get {p}/a", "-o extended get {p}/a", "-o json get {p}/a", "set --ttl 100 {p}/a 2", "-o extended get {p}/a", "-o json set {p}/u <ä&\"\\>", "-o json get {p}/u"] },
        { "swap", ["set {p}/a 1", "set --swap-with-value 1 {p}/a 2", "set --swap-with-value 1 {p}/a 3", "set --swap-with-index 1 {p}/a 4", "-o json get {p}/a"] },
        { "errors", ["get {p}/missing", "-o json get {p}/missing", "update {p}/missing x", "get", "set {p}/k", "rm {p}/missing", "rmdir {p}/missing"] },
        { "mk", ["mk {p}/a 1", "mk {p}/a 2", "-o extended mk --ttl 50 {p}/b 3", "mk --in-order {p}/q first", "mk --in-order {p}/q second", "ls --sort {p}/q"] },
        { "dirs", ["mkdir {p}/d", "mkdir {p}/d", "-o json mkdir {p}/e", "setdir {p}/d", "-o extended updatedir --ttl 100 {p}/d", "updatedir {p}/nodir", "get {p}/d", "rmdir {p}/d", "-o json rmdir {p}/e"] },
        { "update", ["set {p}/a 1", "update {p}/a 2", "-o extended update --ttl 30 {p}/a 3", "-o json get {p}/a"] },
        { "rm", ["set {p}/a 1", "rm --with-value 2 {p}/a", "rm --with-index 1 {p}/a", "rm --with-value 1 {p}/a", "set {p}/d/x 1", "rm {p}/d", "rm --dir {p}/d", "-o extended rm --recursive {p}/d", "set {p}/b 1", "-o json rm {p}/b"] },
        { "ls", ["set {p}/a/b/c 1", "set {p}/a/d 2", "mkdir {p}/e", "ls --sort {p}", "ls --sort --recursive {p}", "ls --sort -r -p {p}", "ls {p}/a/d", "-o json ls --sort {p}/a/b", "ls {p}/missing"] },
        { "quorum", ["set {p}/a 1", "get --quorum {p}/a", "ls --quorum --sort {p}"] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Kvctl_prints_what_etcdctl_prints(string name, string[] script)
    {
        var kvPrefix = Tools.UniquePrefix("kv" + name);
        var etcdPrefix = Tools.UniquePrefix("et" + name);
        foreach (var line in script)
        {
            // Different prefixes never interact, so both tools run at once.
            var oursTask = Tools.KvctlAsync(fixture.Endpoint, Split(line, kvPrefix));
            var theirs = await Tools.EtcdctlAsync(fixture.Endpoint, Split(line, etcdPrefix));
            var ours = await oursTask;
            var because = $"'{line}'\nkvctl: {ours}\netcdctl: {theirs}";
            ours.ExitCode.Should().Be(theirs.ExitCode, because);
            OutputNormalizer.Normalize(ours.StandardOutput, kvPrefix).Should().Be(OutputNormalizer.Normalize(theirs.StandardOutput, etcdPrefix), because);
            OutputNormalizer.Normalize(ours.StandardError, kvPrefix).Should().Be(OutputNormalizer.Normalize(theirs.StandardError, etcdPrefix), because);
        }
    }

    [Theory]
    [InlineData("member list")]
    [InlineData("cluster-health")]
    [InlineData("-o json member list")]
    public async Task Cluster_verbs_print_what_etcdctl_prints(string line)
    {
        var ours = await Tools.KvctlAsync(fixture.Endpoint, line.Split(' '));
        var theirs = await Tools.EtcdctlAsync(fixture.Endpoint, line.Split(' '));
        ours.ExitCode.Should().Be(theirs.ExitCode);
        ours.StandardOutput.Should().Be(theirs.StandardOutput);
        ours.StandardError.Should().Be(theirs.StandardError);
        ours.StandardOutput.Should().Contain(fixture.Endpoint);
    }

    private static string[] Split(string line, string prefix) => line.Replace("{p}", prefix, StringComparison.Ordinal).Split(' ');
}
