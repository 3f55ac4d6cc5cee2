using System.Runtime.InteropServices;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>
/// The last word on Ctrl+C and SIGTERM: once a signal arrives, a thread of its own waits a little longer than
/// <see cref="ExitCodes.InterruptGrace"/> and, if the process is still alive, ends it with the signal's exit code through
/// libc's <c>_exit</c>. System.CommandLine cancels the command and gives up on it after the grace, and Program then
/// calls <see cref="Environment.Exit(int)"/>; but a cancellation callback that blocks the signal thread, or an exit
/// handler that waits on a client library, kept an interrupted CLI alive for more than 30 s on a loaded CI machine
/// (twice, all its threads asleep). <c>_exit</c> runs no managed code, so nothing can hold it.
/// </summary>
internal static class InterruptWatchdog
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(3);
    private static int _armed;

    /// <summary>Registers the signal handlers; dispose the result when the CLI exits on its own.</summary>
    public static IDisposable Arm() => new Registrations(
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Start(ExitCodes.Interrupted)),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Start(ExitCodes.Terminated)));

    /// <summary>
    /// Ends the process with <paramref name="exitCode"/> after <paramref name="delay"/> if it is still alive then: armed
    /// just before <see cref="Environment.Exit(int)"/>, whose exit handlers run managed code that can wait.
    /// </summary>
    public static void ExitWithin(TimeSpan delay, int exitCode) => StartThread(delay, exitCode, message: null);

    private static void Start(int exitCode)
    {
        if (Interlocked.Exchange(ref _armed, 1) == 0)
        {
            StartThread(ExitCodes.InterruptGrace + Margin, exitCode, "interrupted");
        }
    }

    private static void StartThread(TimeSpan delay, int exitCode, string? message)
    {
        // A dedicated thread, not a timer: the thread pool may be what is stuck.
        var thread = new Thread(() =>
        {
            Thread.Sleep(delay);
            try
            {
                if (message is not null)
                {
                    Console.Error.WriteLine(message);
                    Console.Error.Flush();
                }
            }
            finally
            {
                ExitNow(exitCode);
            }
        })
        {
            IsBackground = true,
            Name = "exit watchdog",
        };
        thread.Start();
    }

    // DllImport, not LibraryImport: the source-generated form needs unsafe code enabled for the whole CLI.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);
#pragma warning restore SYSLIB1054

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
