using System.Text;

namespace OrderProcessor.Simulator.Users;

/// <summary>32-bit FNV-1a: a stable hash, identical across processes and runs (unlike string.GetHashCode).</summary>
public static class Fnv1a
{
    public static uint Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }
}
