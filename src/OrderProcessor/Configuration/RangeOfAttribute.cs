using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace OrderProcessor.Configuration;

/// <summary>
/// [Range] for a setting whose limits are written as text (a <see cref="TimeSpan"/>, a <see cref="decimal"/>), with the
/// limits parsed once, in the invariant culture, when the attribute is made.
/// </summary>
/// <remarks>
/// <see cref="RangeAttribute"/> with <c>typeof(TimeSpan), "00:00:01", ...</c> parses its limits on first use, without a
/// lock (dotnet/runtime#1143): two hosts validating the same options at once, as the test suite's parallel fixtures do,
/// could fail start-up with "Unable to cast object of type 'System.TimeSpan' to type 'System.String'". This attribute
/// has no state that changes after construction, so any number of threads may validate with it.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class RangeOfAttribute<T> : ValidationAttribute
    where T : struct, IComparable<T>, IParsable<T>
{
    public RangeOfAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = T.Parse(minimum, CultureInfo.InvariantCulture);
        Maximum = T.Parse(maximum, CultureInfo.InvariantCulture);
        if (Minimum.CompareTo(Maximum) > 0)
        {
            throw new ArgumentException($"The minimum {minimum} is above the maximum {maximum}.", nameof(minimum));
        }
    }

    public T Minimum { get; }

    public T Maximum { get; }

    /// <summary>No value is valid, as with [Range]: [Required] says whether one must be given.</summary>
    public override bool IsValid(object? value) =>
        value is null || (value is T given && given.CompareTo(Minimum) >= 0 && given.CompareTo(Maximum) <= 0);

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.CurrentCulture, ErrorMessageString, name, Minimum, Maximum);
}
