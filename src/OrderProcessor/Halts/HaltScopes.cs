using OrderProcessor.Contracts;

namespace OrderProcessor.Halts;

/// <summary>How a <see cref="HaltScope"/> is stored in <c>trading_halts</c> (<c>scope</c>, <c>scope_key</c>).</summary>
public static class HaltScopes
{
    public const string All = "all";
    public const string Account = "account";
    public const string User = "user";

    /// <summary>The scope key of a halt of everyone.</summary>
    public const string Everyone = "*";

    public static string NameOf(HaltScope scope) => scope switch
    {
        HaltScope.Account => Account,
        HaltScope.User => User,
        _ => All,
    };

    public static HaltScope Parse(string scope) => scope switch
    {
        Account => HaltScope.Account,
        User => HaltScope.User,
        All => HaltScope.All,
        _ => throw new InvalidOperationException($"trading_halts.scope '{scope}' is not all, account or user."),
    };

    /// <summary>The stored key of a scope: the account or user id (trimmed), <c>*</c> for all; null when the id a scope needs is missing.</summary>
    public static string? KeyOf(HaltScope scope, string? accountId, string? userId) => scope switch
    {
        HaltScope.Account => string.IsNullOrWhiteSpace(accountId) ? null : accountId.Trim(),
        HaltScope.User => string.IsNullOrWhiteSpace(userId) ? null : userId.Trim(),
        _ => Everyone,
    };
}
