using Spectre.Console;

namespace KvDirectory.Cli.Migration;

/// <summary>
/// A progress bar on stderr while a transfer runs, only when stderr is a terminal: piped or redirected, kvctl prints
/// nothing but its result lines, so scripts read the same output as ever.
/// </summary>
public static class TransferProgress
{
    public static async Task<T> RunAsync<T>(string description, int total, Func<Action, Task<T>> work)
    {
        if (Console.IsErrorRedirected || total == 0)
        {
            return await work(() => { });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                return await work(() => task.Increment(1));
            });
    }
}
