using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Bounds what a refusal echoes: at most <see cref="MaxListed"/> violations, then one that says how many more there
/// were. Without it a command of 50,000 empty legs would be answered with megabytes of violations. Pure code.
/// </summary>
public static class ViolationCap
{
    public const int MaxListed = 20;

    public static IReadOnlyList<FieldViolation> Apply(IReadOnlyList<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count <= MaxListed)
        {
            return violations;
        }

        var more = violations.Count - MaxListed;
        return [.. violations.Take(MaxListed), new FieldViolation("(more)", "max-violations", $"and {more} more violation(s).")];
    }
}
