using System.Globalization;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// CPU time used so far by each process of the stack (read from <c>/proc</c>), and by the machine as a whole, so the
/// benchmark can say which process used the cores during a measurement. Linux only; empty elsewhere.
/// </summary>
/// <remarks>
/// The CPU of a role is counted per process: a process that ends takes its CPU time with it (a PostgreSQL backend whose
/// connection closes), so role totals of two snapshots cannot simply be subtracted; each process's own growth is summed.
/// </remarks>
public sealed record CpuSnapshot(
    IReadOnlyDictionary<string, double> SecondsByRole,
    double MachineBusySeconds,
    double MachineTotalSeconds,
    IReadOnlyDictionary<int, (string Role, double Seconds)>? Processes = null,
    double? ProcessorJitSeconds = null)
{
    // The runtime's background JIT thread (it recompiles hot methods optimised, tier 1); /proc cuts names at 15 characters.
    private const string TieringThread = ".NET Tiered Com";

    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    public static CpuSnapshot Take(int? processorPid)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var processes = new Dictionary<int, (string Role, double Seconds)>();
        if (!Directory.Exists("/proc"))
        {
            return new CpuSnapshot(seconds, 0, 0);
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || RoleOf(pid, processorPid) is not { } role)
            {
                continue;
            }

            if (TryReadCpuTicks($"/proc/{pid}/stat") is { } ticks)
            {
                seconds[role] = seconds.GetValueOrDefault(role) + ticks / TicksPerSecond;
                processes[pid] = (role, ticks / TicksPerSecond);
            }
        }

        var (busy, total) = MachineTicks();
        return new CpuSnapshot(seconds, busy / TicksPerSecond, total / TicksPerSecond, processes, JitTicks(processorPid) / TicksPerSecond);
    }

    /// <summary>CPU used between <paramref name="before"/> and this snapshot, per role and for the whole machine.</summary>
    public CpuUse Since(CpuSnapshot before, int orders)
    {
        var grown = Processes is { } now && before.Processes is { } then
            ? now.GroupBy(p => p.Value.Role).Select(g => (Role: g.Key, Seconds: g.Sum(p =>
                Math.Max(0, p.Value.Seconds - (then.TryGetValue(p.Key, out var was) && was.Role == p.Value.Role ? was.Seconds : 0)))))
            : SecondsByRole.Keys.Union(before.SecondsByRole.Keys)
                .Select(role => (Role: role, Seconds: Math.Max(0, SecondsByRole.GetValueOrDefault(role) - before.SecondsByRole.GetValueOrDefault(role))));
        var roles = grown.OrderByDescending(r => r.Seconds).ToDictionary(r => r.Role, r => r.Seconds);
        var busy = MachineBusySeconds - before.MachineBusySeconds;
        var total = MachineTotalSeconds - before.MachineTotalSeconds;
        var jit = ProcessorJitSeconds is { } jitNow && before.ProcessorJitSeconds is { } jitThen && orders > 0
            ? 1000 * Math.Max(0, jitNow - jitThen) / orders
            : (double?)null;
        return new CpuUse(roles, total > 0 ? busy / total : 0, orders > 0 ? roles.ToDictionary(r => r.Key, r => 1000 * r.Value / orders) : [], jit);
    }

    /// <summary>
    /// CPU time of the processor's tiered-compilation thread: while it is busy, the processor is still recompiling hot
    /// methods and has not reached its steady state (its share of a measurement says how much of it was warm-up).
    /// </summary>
    private static double? JitTicks(int? processorPid)
    {
        if (processorPid is not { } pid || !Directory.Exists($"/proc/{pid}/task"))
        {
            return null;
        }

        double ticks = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            if (ReadOrEmpty(Path.Combine(task, "comm")).Trim() == TieringThread && TryReadCpuTicks(Path.Combine(task, "stat")) is { } threadTicks)
            {
                ticks += threadTicks;
            }
        }

        return ticks;
    }

    private static string? RoleOf(int pid, int? processorPid)
    {
        if (pid == processorPid)
        {
            return "processor";
        }

        if (pid == Environment.ProcessId)
        {
            return "benchmark";
        }

        var command = ReadOrEmpty($"/proc/{pid}/comm").Trim();
        if (command == "beam.smp")
        {
            return "rabbitmq";
        }

        if (command == "postgres")
        {
            return "postgresql";
        }

        return command == "dotnet" && ReadOrEmpty($"/proc/{pid}/cmdline").Contains("OrderProcessor.Simulator", StringComparison.Ordinal)
            ? "simulator"
            : null;
    }

    private static double? TryReadCpuTicks(string statPath)
    {
        // Fields after the command name (which may contain spaces) start at "state"; utime and stime are the 12th and 13th.
        var stat = ReadOrEmpty(statPath);
        var end = stat.LastIndexOf(')');
        if (end < 0)
        {
            return null;
        }

        var fields = stat[(end + 2)..].Split(' ');
        return fields.Length > 12
            ? double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)
            : null;
    }

    private static (double Busy, double Total) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = cpu[3] + cpu[4];
        return (total - idle, total);
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty; // the process ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}

/// <summary>
/// CPU used during one measurement: seconds per process role, the machine's busy share, and ms per order; of the
/// processor's, the ms per order its JIT's tiering thread used (null where /proc does not say).
/// </summary>
public sealed record CpuUse(IReadOnlyDictionary<string, double> SecondsByRole, double MachineBusyShare, IReadOnlyDictionary<string, double> MillisecondsPerOrder,
    double? ProcessorJitMillisecondsPerOrder = null);
