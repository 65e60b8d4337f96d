using System.CommandLine;

namespace KvDirectory.Cli;

/// <summary>Wires a verb's body to its command: one session per run, every failure reported as etcdctl does.</summary>
public static class CommandAction
{
    /// <param name="interruptIsSuccess">Ctrl+C ends the verb with exit 0 (etcdctl's watch, exec-watch and cluster-health --forever).</param>
    public static void Set(Command command, Func<KvctlSession, CancellationToken, Task<int>> body, bool interruptIsSuccess = false) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Console.Out;
            var error = Console.Error;
            try
            {
                using var session = new KvctlSession(parse, output, error);
                return await body(session, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && interruptIsSuccess)
            {
                return ExitCodes.Success;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                return ErrorReporter.Report(exception, error);
            }
            finally
            {
                await output.FlushAsync(CancellationToken.None);
            }
        });

    /// <summary>The positional argument at <paramref name="index"/>, or etcdctl's "key required" error.</summary>
    public static string Required(IReadOnlyList<string>? args, int index, string what) =>
        args is not null && index < args.Count ? args[index] : throw new CliException($"{what} required");

    /// <summary>The value argument, or all of standard input when it is redirected (etcdctl's argOrStdin).</summary>
    public static string ValueOrStdin(IReadOnlyList<string>? args, int index)
    {
        if (args is not null && index < args.Count)
        {
            return args[index];
        }

        var input = Console.IsInputRedirected ? Console.In.ReadToEnd() : string.Empty;
        return input.Length > 0 ? input : throw new CliException("value required");
    }
}
