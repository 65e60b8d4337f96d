using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using KvDirectory.Client;

namespace KvDirectory.Cli.Commands;

/// <summary>
/// <c>exec-watch KEY -- COMMAND [ARGS...]</c>: runs COMMAND for every change, with the event in
/// ETCD_WATCH_ACTION, ETCD_WATCH_KEY, ETCD_WATCH_VALUE and ETCD_WATCH_MODIFIED_INDEX.
/// </summary>
public static class ExecWatchCommand
{
    public static Command Create()
    {
        var args = VerbArguments.Create("<key> <command> [args...]");
        var afterIndex = new Option<string>("--after-index") { Description = "watch after the given index", DefaultValueFactory = _ => "0" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "watch all values for key and child keys" };
        var command = new Command("exec-watch", "watch a key for changes and exec an executable") { args, afterIndex, recursive };
        CommandAction.Set(command, async (session, cancellationToken) =>
        {
            var values = session.Parse.GetValue(args) ?? [];
            if (values.Length < 2)
            {
                throw new CliException("key and command to exec required");
            }

            var key = values[0];
            var program = values[1..];
            var options = new WatchOptions
            {
                AfterIndex = VerbArguments.Number(session.Parse.GetValue(afterIndex), "after-index"),
                Recursive = session.Parse.GetValue(recursive),
                Reconnect = true,
            };
            var client = await session.ConnectAsync(cancellationToken);
            await foreach (var response in client.Keys.WatchAsync(key, options, cancellationToken))
            {
                if (response.Node?.Dir == true)
                {
                    session.Error.WriteLine($"Ignored dir {response.Node.Key} change");
                    continue;
                }

                var info = new ProcessStartInfo(program[0]) { UseShellExecute = false };
                foreach (var argument in program[1..])
                {
                    info.ArgumentList.Add(argument);
                }

                info.Environment["ETCD_WATCH_ACTION"] = response.Action;
                info.Environment["ETCD_WATCH_MODIFIED_INDEX"] = (response.Node?.ModifiedIndex ?? 0).ToString(CultureInfo.InvariantCulture);
                info.Environment["ETCD_WATCH_KEY"] = response.Node?.Key ?? string.Empty;
                info.Environment["ETCD_WATCH_VALUE"] = response.Node?.Value ?? string.Empty;
                try
                {
                    // Waited for before the next event, so the command's runs never overlap or reorder.
                    using var process = Process.Start(info) ?? throw new CliException($"could not start {program[0]}");
                    await process.WaitForExitAsync(cancellationToken);
                }
                catch (System.ComponentModel.Win32Exception exception)
                {
                    throw new CliException(exception.Message, ExitCodes.BadArgs, plain: true);
                }
            }

            return ExitCodes.Success;
        }, interruptIsSuccess: true);
        return command;
    }
}
