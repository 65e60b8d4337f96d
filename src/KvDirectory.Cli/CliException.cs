namespace KvDirectory.Cli;

/// <summary>A failure the command already knows how to word; printed as <c>Error:  message</c> with the given exit code.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.BadArgs, bool plain = false) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Printed as is, without the <c>Error:</c> prefix (etcdctl's member commands word errors that way).</summary>
    public bool Plain { get; } = plain;
}
