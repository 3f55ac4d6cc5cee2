using System.Globalization;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// GET /iserver/account/trades: the user's executions of the last <c>days</c> calendar days of the server (UTC), whichever
/// session they happened in, one entry per execution.
/// </summary>
public static class TradesEndpoint
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/iserver/account/trades", Trades);

    private static IResult Trades(HttpContext context, TradingAccess access, OrderBook book, SimulatorClock clock, string? days = null)
    {
        var covered = IbkrRules.DefaultTradeDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out covered) || covered is < 1 or > IbkrRules.MaxTradeDays))
            return IbkrResults.ErrorWithCode(StatusCodes.Status400BadRequest, $"Invalid days: {days}. It must be between 1 and {IbkrRules.MaxTradeDays}.");
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller, requireAccounts: true);
            if (session is null)
                return refusal!;
            var now = clock.GetUtcNow();
            lock (book.Gate)
            {
                return Results.Json(book.OrdersOf(caller.UserId)
                    .SelectMany(o => o.Executions.Where(e => IbkrRules.IsCoveredByTrades(e.At, now, covered)).Select(e => TradeEntry.From(o, e)))
                    .OrderBy(t => t.TradeTimeMs)
                    .ToList());
            }
        }
    }
}
