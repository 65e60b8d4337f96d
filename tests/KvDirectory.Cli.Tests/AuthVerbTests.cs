using KvDirectory.Testing;

namespace KvDirectory.Cli.Tests;

/// <summary>
/// <c>user</c>, <c>role</c> and <c>auth</c>: the same script through kvctl and through etcdctl v2, each against its own
/// fresh server (auth is server-wide), must print the same and exit the same; then the identities kvctl made work.
/// </summary>
public sealed class AuthVerbTests
{
    private static readonly string[] Script =
    [
        "user add root:rootpw",
        "user add root:other",
        "role add reader",
        "role add reader",
        "role grant --path /pub* --read reader",
        "role grant --path /pub* --read reader",
        "role grant --path pub --read reader",
        "role grant --path /a/../b --readwrite reader",
        "role grant --path /a reader",
        "role grant --path /a --read --write reader",
        "role grant reader",
        "role grant --path /rw* --readwrite reader",
        "role revoke --path /rw* --write reader",
        "role get reader",
        "role get root",
        "role get nope",
        "role list",
        "role list extra",
        "user add alice:a",
        "user grant --roles reader alice",
        "user grant --roles reader alice",
        "user grant alice",
        "user grant --roles reader",
        "user get alice",
        "user get nope",
        "user list",
        "user revoke --roles reader alice",
        "user revoke --roles reader alice",
        "user get",
        "auth enable extra",
        "auth enable",
        "user list",
        "-u root:wrong user list",
        "-u nobody:x role list",
        "-u alice:a user list",
        "-u root:rootpw user list",
        "-u root:rootpw auth enable",
        "-u root:rootpw user remove root",
        "-u root:rootpw auth disable",
        "auth disable",
        "user remove alice",
        "user remove alice",
        "role remove reader",
        "role remove root",
        "user remove root",
    ];

    [Theory]
    [InlineData("kvdirectory")]
    [InlineData("etcd")]
    public async Task Kvctl_prints_what_etcdctl_prints(string server)
    {
        await using var forKvctl = await ServerProcess.StartAsync(server);
        await using var forEtcdctl = await ServerProcess.StartAsync(server);
        foreach (var line in Script)
        {
            // Generous timeouts: a fresh server's first answers are slow on a loaded machine, for either tool.
            string[] args = ["--timeout", "10s", "--total-timeout", "60s", .. line.Split(' ')];
            var ours = await Tools.KvctlAsync(forKvctl.Endpoint, args);
            var theirs = await Tools.EtcdctlAsync(forEtcdctl.Endpoint, args);
            var because = $"'{line}' on {server}\nkvctl: {ours}\netcdctl: {theirs}";
            ours.ExitCode.Should().Be(theirs.ExitCode, because);
            ours.StandardOutput.Should().Be(theirs.StandardOutput, because);
            ours.StandardError.Should().Be(theirs.StandardError, because);
        }
    }

    [Fact]
    public async Task A_user_made_with_kvctl_reads_what_its_role_allows_and_a_changed_password_takes_effect()
    {
        await using var server = await ServerProcess.StartAsync("kvdirectory");
        var endpoint = server.Endpoint;
        async Task<CommandResult> Run(string line, string? input = null) =>
            await Tools.KvctlWithAsync(endpoint, null, input, ["--timeout", "10s", "--total-timeout", "60s", .. line.Split(' ')]);

        (await Run("set /pub/a 1")).ExitCode.Should().Be(0);
        (await Run("set /secret/a 2")).ExitCode.Should().Be(0);
        (await Run("user add root", "rootpw\n")).StandardOutput.Should().Be("User root created\n");
        (await Run("role add reader")).ExitCode.Should().Be(0);
        (await Run("role grant --path /pub/* --read reader")).ExitCode.Should().Be(0);
        (await Run("user add bob:b1")).ExitCode.Should().Be(0);
        (await Run("user grant --roles reader bob")).ExitCode.Should().Be(0);
        (await Run("role revoke --path /* --readwrite guest")).ExitCode.Should().Be(1, "no guest role before auth is enabled");
        (await Run("auth enable")).StandardOutput.Should().Be("Authentication Enabled\n");
        (await Run("-u root:rootpw role revoke --path /* --readwrite guest")).ExitCode.Should().Be(0);

        (await Run("-u bob:b1 get /pub/a")).StandardOutput.Should().Be("1\n");
        var denied = await Run("-u bob:b1 get /secret/a");
        denied.ExitCode.Should().Be(4);
        denied.StandardError.Should().Contain("The request requires user authentication");
        (await Run("-u bob:b1 set /pub/a 9")).ExitCode.Should().Be(4);
        (await Run("get /pub/a")).ExitCode.Should().Be(4, "the guest may no longer read");

        (await Run("-u root:rootpw user passwd bob", "b2\n")).StandardOutput.Should().Be("Password updated\n");
        (await Run("-u bob:b1 get /pub/a")).ExitCode.Should().Be(4, "the old password is refused at once");
        (await Run("-u bob:b2 get /pub/a")).StandardOutput.Should().Be("1\n");
        (await Run("-u bob get /pub/a", "b2\n")).StandardOutput.Should().Be("1\n", "a bare -u prompts for the password");
    }
}
