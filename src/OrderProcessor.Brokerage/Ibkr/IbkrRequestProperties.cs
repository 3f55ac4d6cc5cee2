namespace OrderProcessor.Brokerage.Ibkr;

/// <summary>Keys of the HttpRequestMessage options the typed client sets for the guard's HTTP pipeline.</summary>
public static class IbkrRequestProperties
{
    /// <summary>The user (IBKR username behind PiTrade) a request is made for: selects token, session gate and pacing.</summary>
    public const string UserId = "OrderProcessor.Brokerage.UserId";
}
