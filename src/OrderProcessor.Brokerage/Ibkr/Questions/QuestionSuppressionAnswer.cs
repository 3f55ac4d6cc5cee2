using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Questions;

public sealed class QuestionSuppressionAnswer
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
