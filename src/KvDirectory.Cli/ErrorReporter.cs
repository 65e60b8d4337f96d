using KvDirectory.Client;
using KvDirectory.Protocol;

namespace KvDirectory.Cli;

/// <summary>Turns a failure into etcdctl's stderr text and exit code.</summary>
public static class ErrorReporter
{
    public static int Report(Exception exception, TextWriter error)
    {
        switch (exception)
        {
            case EtcdException etcd:
                error.WriteLine($"Error:  {etcd.ErrorCode}: {EtcdErrorTable.MessageFor(etcd.ErrorCode)} ({etcd.Cause}) [{etcd.Index}]");
                return ExitCodes.ServerError;
            case ClusterFailure failure:
                WriteCluster(failure.Cluster, error);
                return failure.ExitCode;
            case ClusterException cluster:
                WriteCluster(cluster, error);
                return ExitCodes.ServerError;
            case CliException { Plain: true } plain:
                error.WriteLine(plain.Message);
                return plain.ExitCode;
            case CliException cli:
                error.WriteLine($"Error:  {cli.Message}");
                return cli.ExitCode;
            case OperationCanceledException:
                error.WriteLine("Error:  context deadline exceeded");
                return ExitCodes.ServerError;
            default:
                error.WriteLine($"Error:  {exception.Message}");
                return ExitCodes.ServerError;
        }
    }

    private static void WriteCluster(ClusterException cluster, TextWriter error)
    {
        error.WriteLine($"Error:  {cluster.Message}");
        error.WriteLine(cluster.Detail);
    }
}
