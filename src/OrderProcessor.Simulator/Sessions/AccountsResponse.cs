using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>IBKR's <c>userAccountsResponse</c> (GET /iserver/accounts), with the fields clients read.</summary>
public sealed record AccountsResponse(
    [property: JsonPropertyName("accounts")] IReadOnlyList<string> Accounts,
    [property: JsonPropertyName("acctProps")] IReadOnlyDictionary<string, AccountProperties> AcctProps,
    [property: JsonPropertyName("aliases")] IReadOnlyDictionary<string, string> Aliases,
    [property: JsonPropertyName("allowFeatures")] IReadOnlyDictionary<string, object> AllowFeatures,
    [property: JsonPropertyName("groups")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("profiles")] IReadOnlyList<string> Profiles,
    [property: JsonPropertyName("selectedAccount")] string SelectedAccount,
    [property: JsonPropertyName("serverInfo")] ServerInfo ServerInfo,
    [property: JsonPropertyName("sessionId")] string SessionId,
    [property: JsonPropertyName("isFt")] bool IsFt,
    [property: JsonPropertyName("isPaper")] bool IsPaper);

/// <summary>One account's entry of <c>acctProps</c>.</summary>
public sealed record AccountProperties(
    [property: JsonPropertyName("hasChildAccounts")] bool HasChildAccounts,
    [property: JsonPropertyName("supportsCashQty")] bool SupportsCashQty,
    [property: JsonPropertyName("supportsFractions")] bool SupportsFractions,
    [property: JsonPropertyName("allowCustomerTime")] bool AllowCustomerTime,
    [property: JsonPropertyName("autoFx")] bool AutoFx);
