using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>What a trading halt (kill switch) covers.</summary>
[JsonConverter(typeof(LenientEnumConverter<HaltScope>))]
public enum HaltScope
{
    /// <summary>Every user and account.</summary>
    All,

    /// <summary>One account (AccountId).</summary>
    Account,

    /// <summary>One user (UserId).</summary>
    User,
}
