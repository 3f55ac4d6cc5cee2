namespace OrderProcessor.Brokerage.Gateway;

public enum PlaceOrderOutcome
{
    /// <summary>IBKR accepted the ticket(s); order ids are in <see cref="PlaceOrderResult.Orders"/>.</summary>
    Accepted,

    /// <summary>IBKR refused, or asked a question outside the allow-list (left unconfirmed). Final.</summary>
    Rejected,

    /// <summary>IBKR already has an order with this cOID: treat as probably placed and reconcile; never re-send under a new id.</summary>
    AlreadyRegistered,
}
