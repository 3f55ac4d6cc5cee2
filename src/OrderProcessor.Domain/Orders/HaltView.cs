using System.Globalization;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>An active trading halt (kill switch) that covers an order, as the claim sees it.</summary>
public sealed record HaltView(Guid HaltId, HaltScope Scope, string ScopeKey, string Reason, DateTimeOffset HaltedAt, string? HaltedBy)
{
    /// <summary>What the halt covers, in words: <c>account DU1</c>, <c>user alice</c>, <c>everyone</c>.</summary>
    public string ScopeText => Scope switch
    {
        HaltScope.Account => $"account {ScopeKey}",
        HaltScope.User => $"user {ScopeKey}",
        _ => "everyone",
    };

    /// <summary>The reason every refusal of the halted scope carries (consumers and claims say the same).</summary>
    public string RefusalReason()
    {
        var by = HaltedBy is { Length: > 0 } name ? $" by {name}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"trading is halted for {ScopeText} since {HaltedAt:u}{by}: {Reason}");
    }
}
