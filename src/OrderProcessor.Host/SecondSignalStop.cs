using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrderProcessor.Host;

/// <summary>
/// The first SIGTERM (or Ctrl+C) starts the clean stop, which may take the drain time; a second one ends the process at
/// once, as an operator who sends it means. What was under way is then left as after a crash: the leases run out and
/// unfinished submissions are reconciled by the instance that takes the users over.
/// </summary>
internal sealed class SecondSignalStop : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public SecondSignalStop()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal)];
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) < 2)
        {
            // The host's own handler starts the clean stop.
            return;
        }

        // Written straight to stderr: the logger's queue would not be flushed before the process goes.
        Console.Error.WriteLine($"{context.Signal} again during the clean stop: stopping now; leases run out and unfinished IBKR calls are reconciled by the next holder");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
