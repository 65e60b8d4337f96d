namespace KvDirectory.Testing.Processes;

/// <summary>The server exited while a test waited for it to become healthy; the message carries its output.</summary>
public sealed class ServerExitedException(string message, string output) : InvalidOperationException($"{message}:{System.Environment.NewLine}{output}")
{
    /// <summary>What the process printed.</summary>
    public string Output { get; } = output;
}
