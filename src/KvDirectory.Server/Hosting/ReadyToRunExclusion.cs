using System.Collections;
using System.Runtime.InteropServices;

namespace KvDirectory.Server.Hosting;

/// <summary>
/// Keeps the runtime from using the framework's precompiled (ReadyToRun) code for the assemblies every request runs
/// through, so their methods are compiled fully optimised at their first call. Left to run precompiled, those
/// methods serve the first seconds more slowly and are then recompiled in one batch of several hundred while the first
/// load is being served (issue 15: a cold node at x0.82-0.86 of its warm speed on CAS, mixed and the watch fan-out).
/// The runtime takes the list only from its environment (<c>DOTNET_ReadyToRunExcludeList</c>; runtimeconfig.json does
/// not carry it), so on Linux the process replaces itself once with the variable set, before anything else runs:
/// <c>execve</c> keeps its PID, arguments, open descriptors and the rest of its environment, so a supervisor, a
/// container or a test that started it sees one process. An operator's own value of the variable (empty included)
/// is left alone, and so is every other platform.
/// </summary>
public static partial class ReadyToRunExclusion
{
    public const string Variable = "DOTNET_ReadyToRunExcludeList";

    /// <summary>
    /// Kestrel's HTTP/1 connection, parser and headers, its socket transport, sockets, pipelines, JSON writing and
    /// the header values: the assemblies whose methods made up most of the batch recompiled after a cold start
    /// (DOTNET_JitDisasmSummary). CoreLib stays precompiled: compiling it at first call takes seconds to start.
    /// </summary>
    public const string RequestPathAssemblies =
        "Microsoft.AspNetCore.Server.Kestrel.Core;Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;" +
        "System.Net.Sockets;System.IO.Pipelines;System.Text.Json;Microsoft.AspNetCore.Http;" +
        "Microsoft.AspNetCore.Connections.Abstractions;Microsoft.Extensions.Primitives";

    /// <summary>
    /// Re-executes this process with <see cref="Variable"/> set to <see cref="RequestPathAssemblies"/> unless it is set
    /// already or this is not Linux. Returns only where nothing was re-executed (or <c>execve</c> failed, which is
    /// reported on stderr: the server then runs on with the precompiled code, correct but slower for its first seconds).
    /// </summary>
    public static void ApplyByReexecuting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null)
        {
            return;
        }

        string failure;
        try
        {
            var arguments = SplitCommandLine(File.ReadAllText("/proc/self/cmdline"));
            var environment = Environment.GetEnvironmentVariables()
                .Cast<DictionaryEntry>()
                .Select(entry => $"{entry.Key}={entry.Value}")
                .Append($"{Variable}={RequestPathAssemblies}");
            RemoveDiagnosticsSocket();
            // The executable's own path, not /proc/self/exe: the kernel names the process after the path's last part (ps, top).
            var executable = Environment.ProcessPath ?? "/proc/self/exe";
            failure = $"errno {Execute(executable, arguments, [.. environment])}";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // No /proc to read the command line from: a speed setting is not worth refusing to start over.
            failure = error.Message;
        }

        Console.Error.WriteLine(
            $"kvdirectory: could not restart itself with {Variable} set ({failure}); running with the framework's " +
            $"precompiled code, which is slower for the first seconds. Set {Variable} (empty to keep that code) to skip this step.");
    }

    /// <summary>
    /// The arguments in <c>/proc/PID/cmdline</c>: each one ends with a NUL, so an empty argument is an empty string
    /// between two of them (and a trailing empty one must survive).
    /// </summary>
    internal static string[] SplitCommandLine(string cmdline) =>
        cmdline.EndsWith('\0') ? cmdline[..^1].Split('\0') : cmdline.Split('\0');

    /// <summary>
    /// The runtime listens for dotnet-counters and dotnet-trace on a socket file named after the PID and the process's
    /// start time, both of which the new image keeps; the file outlives the old listener, and the new runtime cannot
    /// bind over it, so it goes first.
    /// </summary>
    private static void RemoveDiagnosticsSocket()
    {
        var directory = Path.GetTempPath();
        if (!Directory.Exists(directory))
        {
            return; // the runtime could not make its socket there either
        }

        foreach (var socket in Directory.EnumerateFiles(directory, $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
        {
            File.Delete(socket);
        }
    }

    /// <summary>Calls execve with null-terminated arrays of UTF-8 strings; returns errno, as it returns only on failure.</summary>
    private static int Execute(string path, string[] arguments, string[] environment)
    {
        var argv = ToNativeStrings(arguments);
        var envp = ToNativeStrings(environment);
        try
        {
            ExecuteProcessImage(path, argv, envp);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            Free(argv);
            Free(envp);
        }
    }

    private static nint[] ToNativeStrings(string[] values)
    {
        var pointers = new nint[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return pointers;
    }

    private static void Free(nint[] pointers)
    {
        foreach (var pointer in pointers)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }

    [LibraryImport("libc", EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ExecuteProcessImage(string path, nint[] argv, nint[] envp);
}
