using KvDirectory.Protocol;
using KvDirectory.Protocol.Configuration;

namespace KvDirectory.Extensions.Configuration.Tests;

/// <summary>The shared key → configuration path mapping, as a pure function.</summary>
public sealed class ConfigurationKeyMapperTests
{
    private static EtcdNode Dir(string key, params EtcdNode[] children) => new() { Key = key, Dir = true, Nodes = children };

    private static EtcdNode Leaf(string key, string value, long index = 1) => new() { Key = key, Value = value, ModifiedIndex = index };

    [Theory]
    [InlineData("/config/app", "/config/app/Logging/LogLevel/Default", "Logging:LogLevel:Default")]
    [InlineData("/config/app/", "/config/app/A", "A")]
    [InlineData("config/app", "/config/app/A/B", "A:B")]
    [InlineData("/", "/A/B", "A:B")]
    [InlineData("/config/app", "/config/application/A", null)]
    [InlineData("/config/app", "/config/app", null)]
    [InlineData("/config/app", "/config/app/_hidden", null)]
    [InlineData("/config/app", "/config/app/A/_secret/B", null)]
    [InlineData("/config/app", "/other/A", null)]
    public void Store_keys_map_to_configuration_paths(string prefix, string key, string? path) =>
        ConfigurationKeyMapper.ToConfigurationPath(prefix, key).Should().Be(path);

    [Fact]
    public void A_listing_flattens_into_sorted_values_with_their_source_keys()
    {
        var root = Dir("/c", Dir("/c/Logging", Dir("/c/Logging/LogLevel", Leaf("/c/Logging/LogLevel/Default", "Warning", 7))), Leaf("/c/Name", "x", 3), Dir("/c/Empty"), Leaf("/c/_h", "no"));
        var values = ConfigurationKeyMapper.Map("/c", root, new ConfigurationMappingOptions());
        values.Should().Equal(
            new ConfigurationValue("Logging:LogLevel:Default", "Warning", "/c/Logging/LogLevel/Default", 7),
            new ConfigurationValue("Name", "x", "/c/Name", 3));
    }

    [Fact]
    public void Json_values_are_expanded_only_where_asked()
    {
        var root = Dir("/c", Leaf("/c/Features", """{"Beta":true,"Limits":[1,{"Max":"5"}],"Off":null}""", 9), Leaf("/c/Raw", """{"A":1}"""));
        var values = ConfigurationKeyMapper.Map("/c", root, new ConfigurationMappingOptions { ExpandJsonUnder = ["Features"] });
        values.Select(v => (v.Path, v.Value)).Should().Equal(
            ("Features:Beta", "true"), ("Features:Limits:0", "1"), ("Features:Limits:1:Max", "5"), ("Features:Off", ""), ("Raw", """{"A":1}"""));
        values.Where(v => v.Path.StartsWith("Features", StringComparison.Ordinal)).Should().OnlyContain(v => v.StoreKey == "/c/Features" && v.ModifiedIndex == 9);
    }

    [Fact]
    public void Invalid_json_and_plain_strings_stay_as_written_even_when_expansion_is_on()
    {
        var root = Dir("/c", Leaf("/c/A", "{not json"), Leaf("/c/B", "plain"), Leaf("/c/C", "[]"));
        var values = ConfigurationKeyMapper.Map("/c", root, new ConfigurationMappingOptions { ExpandJson = true });
        values.Select(v => (v.Path, v.Value)).Should().Equal(("A", "{not json"), ("B", "plain"), ("C", null));
    }

    [Fact]
    public void Keys_differing_only_in_case_resolve_to_the_last_in_ordinal_order()
    {
        var root = Dir("/c", Leaf("/c/Key", "upper"), Leaf("/c/key", "lower"));
        ConfigurationKeyMapper.Map("/c", root, new ConfigurationMappingOptions()).Should().ContainSingle().Which.Value.Should().Be("lower");
    }
}
