using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Questions;

/// <summary>Body of POST /iserver/questions/suppress.</summary>
public sealed record SuppressQuestionsRequest([property: JsonPropertyName("messageIds")] IReadOnlyList<string> MessageIds);
