using KvDirectory.Server.Keys;
using KvDirectory.Store;

namespace KvDirectory.Server.Tests.Unit;

public sealed class KeyCommandFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static TheoryData<KeyRequest, Type> Mappings => new()
    {
        { Put(), typeof(SetCommand) },
        { Put() with { PrevExist = true }, typeof(UpdateCommand) },
        { Put() with { PrevExist = true, PrevValue = "old" }, typeof(CompareAndSwapCommand) },
        { Put() with { PrevExist = false, PrevValue = "ignored" }, typeof(CreateCommand) },
        { Put() with { PrevIndex = 7 }, typeof(CompareAndSwapCommand) },
        { Put() with { PrevValue = "old" }, typeof(CompareAndSwapCommand) },
        { new KeyRequest { Method = "POST", Path = "/q" }, typeof(CreateCommand) },
        { new KeyRequest { Method = "DELETE", Path = "/k" }, typeof(DeleteCommand) },
        { new KeyRequest { Method = "DELETE", Path = "/k", PrevIndex = 3 }, typeof(CompareAndDeleteCommand) },
        { new KeyRequest { Method = "DELETE", Path = "/k", PrevValue = "v" }, typeof(CompareAndDeleteCommand) },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Writes_map_to_the_command_etcd_applies(KeyRequest request, Type expected)
    {
        KeyCommandFactory.Create(request, Now).Should().BeOfType(expected);
    }

    [Fact]
    public void The_proposer_fixes_the_expiration_from_its_clock()
    {
        var command = KeyCommandFactory.Create(Put() with { Ttl = 30 }, Now);

        command.Should().BeOfType<SetCommand>().Which.ExpireTime.Should().Be(Now.AddSeconds(30));
    }

    [Fact]
    public void Post_makes_a_unique_in_order_key()
    {
        var command = KeyCommandFactory.Create(new KeyRequest { Method = "POST", Path = "/q", Value = "job" }, Now);

        command.Should().BeOfType<CreateCommand>().Which.Unique.Should().BeTrue();
    }

    private static KeyRequest Put() => new() { Method = "PUT", Path = "/k", Value = "v" };
}
