using KvDirectory.Protocol;

namespace KvDirectory.Cli;

/// <summary>Prints a keys answer in etcdctl's simple, extended or json format.</summary>
public static class ResponsePrinter
{
    public static void Print(EtcdEvent response, string format, TextWriter output)
    {
        var node = response.Node ?? new EtcdNode();
        switch (format)
        {
            case OutputFormat.Simple or OutputFormat.Table:
                output.WriteLine(response.Action != EtcdActions.Delete ? node.Value : "PrevNode.Value: " + response.PrevNode?.Value);
                break;
            case OutputFormat.Extended:
                output.WriteLine($"Key: {node.Key}");
                output.WriteLine($"Created-Index: {node.CreatedIndex}");
                output.WriteLine($"Modified-Index: {node.ModifiedIndex}");
                if (response.PrevNode is not null)
                {
                    output.WriteLine($"PrevNode.Value: {response.PrevNode.Value}");
                }

                output.WriteLine($"TTL: {node.Ttl}");
                output.WriteLine($"Index: {response.EtcdIndex}");
                if (response.Action != EtcdActions.Delete)
                {
                    output.WriteLine();
                    output.WriteLine(node.Value);
                }

                break;
            case OutputFormat.Json:
                output.WriteLine(GoJson.Event(response));
                break;
            default:
                Console.Error.WriteLine($"Unsupported output format: {format}");
                break;
        }
    }
}
