using System.Globalization;

namespace OrderProcessor.Cli.Bench;

/// <summary>A process's memory as <c>/proc/{pid}/status</c> gives it; null where it cannot be read.</summary>
public static class ProcessMemory
{
    /// <summary>The field <paramref name="field"/> (<c>VmRSS:</c> now, <c>VmHWM:</c> the peak so far) in MB.</summary>
    public static double? ResidentMb(int? pid, string field)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return null;
        }

        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
