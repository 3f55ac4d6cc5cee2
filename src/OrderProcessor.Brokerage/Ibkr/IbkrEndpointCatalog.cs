using System.Text.RegularExpressions;

namespace OrderProcessor.Brokerage.Ibkr;

/// <summary>Every IBKR endpoint the guard calls, recognised from a request's method and path.</summary>
public static partial class IbkrEndpointCatalog
{
    public static readonly IbkrEndpoint SessionInit = new("session-init", HttpMethod.Post, SessionInitPath(), Repeatable: true);
    public static readonly IbkrEndpoint SessionStatus = new("session-status", HttpMethod.Post, SessionStatusPath(), Repeatable: true);
    public static readonly IbkrEndpoint Tickle = new("tickle", HttpMethod.Post, TicklePath(), Repeatable: true);
    public static readonly IbkrEndpoint Logout = new("logout", HttpMethod.Post, LogoutPath(), Repeatable: true);
    public static readonly IbkrEndpoint Accounts = new("accounts", HttpMethod.Get, AccountsPath(), Repeatable: true);
    public static readonly IbkrEndpoint PlaceOrder = new("place-order", HttpMethod.Post, PlaceOrderPath(), Repeatable: false);
    public static readonly IbkrEndpoint Reply = new("reply", HttpMethod.Post, ReplyPath(), Repeatable: false);
    public static readonly IbkrEndpoint WhatIf = new("what-if", HttpMethod.Post, WhatIfPath(), Repeatable: true);
    public static readonly IbkrEndpoint LiveOrders = new("live-orders", HttpMethod.Get, LiveOrdersPath(), Repeatable: true);
    public static readonly IbkrEndpoint Trades = new("trades", HttpMethod.Get, TradesPath(), Repeatable: true);
    public static readonly IbkrEndpoint OrderStatus = new("order-status", HttpMethod.Get, OrderStatusPath(), Repeatable: true);
    public static readonly IbkrEndpoint CancelOrder = new("cancel-order", HttpMethod.Delete, SingleOrderPath(), Repeatable: false);
    public static readonly IbkrEndpoint ModifyOrder = new("modify-order", HttpMethod.Post, SingleOrderPath(), Repeatable: false);
    public static readonly IbkrEndpoint SuppressQuestions = new("suppress-questions", HttpMethod.Post, SuppressPath(), Repeatable: true);
    public static readonly IbkrEndpoint ResetQuestions = new("reset-questions", HttpMethod.Post, SuppressResetPath(), Repeatable: true);

    /// <summary>Any other path: treated as not repeatable.</summary>
    public static readonly IbkrEndpoint Unknown = new("unknown", HttpMethod.Post, UnknownPath(), Repeatable: false);

    public static IReadOnlyList<IbkrEndpoint> All { get; } =
    [
        SessionInit, SessionStatus, Tickle, Logout, Accounts, PlaceOrder, Reply, WhatIf, LiveOrders, Trades, OrderStatus,
        CancelOrder, ModifyOrder, SuppressQuestions, ResetQuestions,
    ];

    public static IbkrEndpoint Identify(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString ?? string.Empty;
        foreach (var endpoint in All)
        {
            if (endpoint.Method == request.Method && endpoint.PathPattern.IsMatch(path))
            {
                return endpoint;
            }
        }

        return Unknown;
    }

    [GeneratedRegex(@"/iserver/auth/ssodh/init$")]
    private static partial Regex SessionInitPath();

    [GeneratedRegex(@"/iserver/auth/status$")]
    private static partial Regex SessionStatusPath();

    [GeneratedRegex(@"/tickle$")]
    private static partial Regex TicklePath();

    [GeneratedRegex(@"/logout$")]
    private static partial Regex LogoutPath();

    [GeneratedRegex(@"/iserver/accounts$")]
    private static partial Regex AccountsPath();

    [GeneratedRegex(@"/iserver/account/[^/]+/orders$")]
    private static partial Regex PlaceOrderPath();

    [GeneratedRegex(@"/iserver/reply/[^/]+$")]
    private static partial Regex ReplyPath();

    [GeneratedRegex(@"/iserver/account/[^/]+/orders/whatif$")]
    private static partial Regex WhatIfPath();

    [GeneratedRegex(@"/iserver/account/orders$")]
    private static partial Regex LiveOrdersPath();

    [GeneratedRegex(@"/iserver/account/trades$")]
    private static partial Regex TradesPath();

    [GeneratedRegex(@"/iserver/account/order/status/[^/]+$")]
    private static partial Regex OrderStatusPath();

    [GeneratedRegex(@"/iserver/account/[^/]+/order/[^/]+$")]
    private static partial Regex SingleOrderPath();

    [GeneratedRegex(@"/iserver/questions/suppress$")]
    private static partial Regex SuppressPath();

    [GeneratedRegex(@"/iserver/questions/suppress/reset$")]
    private static partial Regex SuppressResetPath();

    [GeneratedRegex(@"^$")]
    private static partial Regex UnknownPath();
}
