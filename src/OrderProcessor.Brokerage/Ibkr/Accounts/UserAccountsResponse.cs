using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Accounts;

/// <summary>Answer of GET /iserver/accounts (schema userAccountsResponse), the fields the guard uses.</summary>
public sealed class UserAccountsResponse
{
    [JsonPropertyName("accounts")]
    public IReadOnlyList<string>? Accounts { get; init; }

    [JsonPropertyName("selectedAccount")]
    public string? SelectedAccount { get; init; }

    [JsonPropertyName("isPaper")]
    public bool? IsPaper { get; init; }

    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
