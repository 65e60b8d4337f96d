using YamlDotNet.RepresentationModel;

namespace KvDirectory.Deployment.Tests.Compose;

/// <summary>A service of docker-compose.yml, as far as starting it needs: command line, environment, ports, volumes.</summary>
public sealed record ComposeService(
    string Name,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<(int Host, int Container)> Ports,
    IReadOnlyList<(string Source, string Target)> Volumes);

/// <summary>Reads the services of a compose file (both the list and the map forms compose allows for lists of settings).</summary>
public static class ComposeFile
{
    public static IReadOnlyList<ComposeService> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        return [.. services.Children.Select(entry => Service(((YamlScalarNode)entry.Key).Value!, (YamlMappingNode)entry.Value))];
    }

    private static ComposeService Service(string name, YamlMappingNode node) => new(
        name,
        Child(node, "command") switch
        {
            YamlSequenceNode list => [.. list.Children.Select(Scalar)],
            YamlScalarNode text => text.Value!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        },
        Child(node, "environment") switch
        {
            YamlMappingNode map => map.Children.ToDictionary(e => Scalar(e.Key), e => Scalar(e.Value), StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.Select(Scalar).Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal),
            _ => new Dictionary<string, string>(StringComparer.Ordinal),
        },
        Child(node, "ports") is YamlSequenceNode ports
            ? [.. ports.Children.Select(Scalar).Select(p => p.Split(':')).Select(p => (int.Parse(p[^2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[^1], System.Globalization.CultureInfo.InvariantCulture)))]
            : [],
        Child(node, "volumes") is YamlSequenceNode volumes
            ? [.. volumes.Children.Select(Scalar).Select(v => v.Split(':')).Select(v => (v[0], v[1]))]
            : []);

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? string.Empty;
}
