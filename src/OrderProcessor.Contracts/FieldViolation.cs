namespace OrderProcessor.Contracts;

/// <summary>One broken validation rule of a command.</summary>
/// <param name="Field">The offending field, as named in the JSON message (e.g. <c>limitPrice</c>, <c>stopLoss.price</c>).</param>
/// <param name="Rule">A short machine-readable rule name (e.g. <c>required</c>, <c>positive</c>, <c>max-decimals</c>).</param>
/// <param name="Message">A sentence for people, naming the field and the rule.</param>
public sealed record FieldViolation(string Field, string Rule, string Message);
