namespace KvDirectory.Cli;

/// <summary>etcdctl's exit codes, so scripts written for it keep working.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int BadArgs = 1;
    public const int BadConnection = 2;
    public const int BadAuth = 3;
    public const int ServerError = 4;
    public const int ClusterNotHealthy = 5;
}
