namespace KvDirectory.Testing;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}--- stderr\n{StandardError}";
}
