using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>An <c>{"error": ...}</c> entry: a whole answer (schema orderSubmitError), or one ticket's refusal inside an answer array.</summary>
public sealed record OrderError([property: JsonPropertyName("error")] string Error);
