using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Ibkr;

namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// The one place where IBKR's pacing limits are registered: per user (10/s), per endpoint and user
/// (live orders 1/5 s, tickle 1/s), and per egress IP across all users.
/// </summary>
internal sealed class PacingRuleBook
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private readonly IOptionsMonitor<BrokerageOptions> _options;

    public PacingRuleBook(IOptionsMonitor<BrokerageOptions> options)
    {
        _options = options;
    }

    public IReadOnlyList<PacingRule> RulesFor(IbkrEndpoint endpoint, string userId)
    {
        var options = _options.CurrentValue;
        var pacing = options.Pacing;
        var margin = pacing.SafetyMargin;
        var rules = new List<PacingRule>(3)
        {
            new(UserKey(userId), pacing.PerUserPerSecond, OneSecond + margin),
            new(EgressIpKey(options), pacing.PerEgressIpPerSecond, OneSecond + margin, EgressIp: true),
        };

        if (endpoint == IbkrEndpointCatalog.LiveOrders)
        {
            rules.Add(new($"{UserKey(userId)}|live-orders", 1, pacing.LiveOrdersInterval + margin));
        }
        else if (endpoint == IbkrEndpointCatalog.Trades)
        {
            // IBKR paces trades like live orders: one request per 5 s per user.
            rules.Add(new($"{UserKey(userId)}|trades", 1, pacing.LiveOrdersInterval + margin));
        }
        else if (endpoint == IbkrEndpointCatalog.Tickle)
        {
            rules.Add(new($"{UserKey(userId)}|tickle", 1, pacing.TickleInterval + margin));
        }

        return rules;
    }

    /// <summary>The key of a user's own window; its per-endpoint windows are this key, '|', the endpoint.</summary>
    public static string UserKey(string userId) => "user:" + userId;

    private static string EgressIpKey(BrokerageOptions options) => "ip:" + (options.PiTrade.EgressIp ?? "default");
}
