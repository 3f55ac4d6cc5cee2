namespace OrderProcessor.Upstreams;

/// <summary>
/// A user or account pattern of the upstream mapping: an exact value, <c>*</c> (anything), or a prefix ending in one
/// <c>*</c> (<c>platform-a-*</c>). Ordinal comparison: ids are compared as IBKR and PiTrade spell them. Pure code.
/// </summary>
public static class GrantPattern
{
    public const string Any = "*";
    public const int MaxLength = 128;

    /// <summary>Whether <paramref name="pattern"/> can be stored: not empty, printable, at most one <c>*</c> and only at the end.</summary>
    public static bool IsValid(string? pattern, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(pattern))
        {
            problem = "must not be empty";
        }
        else if (pattern.Length > MaxLength)
        {
            problem = $"must be at most {MaxLength} characters";
        }
        else if (pattern.Any(char.IsControl) || pattern.Trim() != pattern)
        {
            problem = "must not contain control characters or surrounding spaces";
        }
        else if (pattern.IndexOf('*', StringComparison.Ordinal) is var star and >= 0 && star != pattern.Length - 1)
        {
            problem = "may hold '*' only as its last character (an exact value, '*', or a prefix such as 'platform-a-*')";
        }

        return problem.Length == 0;
    }

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>; a missing value matches nothing but <c>*</c>.</summary>
    public static bool Matches(string pattern, string? value)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern == Any)
        {
            return true;
        }

        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        return pattern.EndsWith('*')
            ? value.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, value, StringComparison.Ordinal);
    }
}
