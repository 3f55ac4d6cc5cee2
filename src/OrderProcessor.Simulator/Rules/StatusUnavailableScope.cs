namespace OrderProcessor.Simulator.Rules;

/// <summary>Which orders GET /iserver/account/order/status/{orderId} answers with 503 because they belong to an earlier session.</summary>
public enum StatusUnavailableScope
{
    /// <summary>Orders that ended (filled, cancelled, inactive) before the current session started (IBKR campus wording).</summary>
    EndedBeforeSession,

    /// <summary>Every order accepted before the current session started, even a working one (the OpenAPI document's wording).</summary>
    AcceptedBeforeSession,
}
