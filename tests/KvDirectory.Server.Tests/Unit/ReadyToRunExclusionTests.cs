using KvDirectory.Server.Hosting;

namespace KvDirectory.Server.Tests.Unit;

public sealed class ReadyToRunExclusionTests
{
    [Theory]
    [InlineData("dotnet\0kvdirectory.dll\0--name\0a\0", new[] { "dotnet", "kvdirectory.dll", "--name", "a" })]
    [InlineData("kvdirectory\0--initial-cluster-token\0\0", new[] { "kvdirectory", "--initial-cluster-token", "" })]
    [InlineData("kvdirectory\0\0--data-dir\0d\0", new[] { "kvdirectory", "", "--data-dir", "d" })]
    [InlineData("kvdirectory", new[] { "kvdirectory" })]
    public void The_command_line_is_split_back_into_the_arguments_the_process_was_given(string cmdline, string[] arguments) =>
        ReadyToRunExclusion.SplitCommandLine(cmdline).Should().Equal(arguments);
}
