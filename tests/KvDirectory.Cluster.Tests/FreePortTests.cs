using System.Diagnostics;
using KvDirectory.Testing;

namespace KvDirectory.Cluster.Tests;

/// <summary>Test processes running side by side never hand out the same port (a server lost its bind that way in CI).</summary>
public sealed class FreePortTests
{
    // Below the range FreePort.Next picks from, so no concurrent test process reserves it.
    private const int Port = 9_999;

    [Fact]
    public async Task A_port_another_process_reserved_is_not_reserved_here_until_that_process_is_gone()
    {
        var lockFile = FreePort.LockFileOf(Port);
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var holder = new ProcessStartInfo("python3")
        {
            // The other process holds a shared flock, the weakest claim (two exclusive ones conflict anyway), until its input closes.
            ArgumentList = { "-c", "import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_SH); print('held', flush=True); sys.stdin.read()", lockFile },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(holder)!;
        try
        {
            (await process.StandardOutput.ReadLineAsync()).Should().Be("held");

            FreePort.TryReserve(Port).Should().BeFalse("another process holds the port's lock");

            process.StandardInput.Close();
            await process.WaitForExitAsync();
            FreePort.TryReserve(Port).Should().BeTrue("the lock went with the process that held it");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Ports_given_out_in_one_process_are_reserved_against_the_others()
    {
        var port = FreePort.Next();
        var probe = Process.Start(new ProcessStartInfo("python3")
        {
            ArgumentList =
            {
                "-c",
                "import fcntl, sys\nf = open(sys.argv[1], 'a')\ntry:\n    fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)\n    print('taken')\nexcept BlockingIOError:\n    print('refused')",
                FreePort.LockFileOf(port),
            },
            RedirectStandardOutput = true,
        })!;
        using (probe)
        {
            var answer = probe.StandardOutput.ReadToEnd().Trim();
            probe.WaitForExit();
            answer.Should().Be("refused");
        }
    }
}
