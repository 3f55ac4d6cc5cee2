using System.Globalization;

namespace OrderProcessor.Cli.Bench;

/// <summary>A process's memory as <c>/proc/{pid}/status</c> gives it; null where it cannot be read.</summary>
public static class ProcessMemory
{
    /// <summary>The resident set now (<c>VmRSS</c>), in MB.</summary>
    public static double? CurrentMb(int? pid) => FieldMb(pid, "VmRSS:");

    /// <summary>The largest resident set so far (<c>VmHWM</c>), in MB.</summary>
    public static double? PeakMb(int? pid) => FieldMb(pid, "VmHWM:");

    private static double? FieldMb(int? pid, string field)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return null;
        }

        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
