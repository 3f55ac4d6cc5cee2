using System.Globalization;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Whether a PlaceOrder's margin-check policy approves IBKR's what-if figures, and why not.</summary>
public static class MarginPolicy
{
    public static (bool Approved, string? Reason) Evaluate(MarginCheckPolicy policy, WhatIfFigures figures, decimal maxInitialShareOfEquity)
    {
        if (policy == MarginCheckPolicy.None)
        {
            return (true, null);
        }

        if (figures.Error is { } error)
        {
            return (false, $"IBKR's what-if reports an error: {error}");
        }

        if (policy != MarginCheckPolicy.RejectOnExcessInitialMargin)
        {
            return (true, null);
        }

        if (figures.Initial.After is not { } initialAfter || figures.Equity.After is not { } equityAfter)
        {
            return (false, "IBKR's what-if did not report post-trade initial margin and equity, so the policy cannot approve the order");
        }

        var limit = equityAfter * maxInitialShareOfEquity;
        return initialAfter > limit
            ? (false, string.Create(CultureInfo.InvariantCulture,
                $"post-trade initial margin {initialAfter:N2} would exceed {maxInitialShareOfEquity:P0} of equity with loan value ({limit:N2} of {equityAfter:N2})"))
            : (true, null);
    }
}
