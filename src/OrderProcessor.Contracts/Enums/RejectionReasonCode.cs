using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>Machine-readable reason of an OrderRejected.</summary>
[JsonConverter(typeof(LenientEnumConverter<RejectionReasonCode>))]
public enum RejectionReasonCode
{
    /// <summary>The command broke a validation rule; the violations name the fields.</summary>
    ValidationFailed,

    /// <summary>
    /// An order with this id already exists with different content, or the command reused the message id of a different
    /// command. The existing order (or the first command) is unaffected; the second command was not processed.
    /// </summary>
    ConflictingDuplicate,

    /// <summary>The margin policy refused the order; the margin figures are in MarginCheckCompleted.</summary>
    MarginPolicy,

    /// <summary>IBKR refused the order; the text is IBKR's.</summary>
    BrokerRejected,

    /// <summary>IBKR asked a question that is not on the allow-list; the text is the question's.</summary>
    UnansweredQuestion,

    /// <summary>The account does not belong to the user at IBKR.</summary>
    UnknownAccount,

    /// <summary>PiTrade does not entitle the user to trade through this platform (it refused the user a brokerage token); nothing was sent.</summary>
    UserNotEntitled,

    /// <summary>The command referred to an order the processor does not know.</summary>
    NotFound,

    /// <summary>The command does not apply to the order in its current state (e.g. cancelling a filled order). The order is unaffected.</summary>
    InvalidState,

    /// <summary>
    /// The upstream that published the command (its RabbitMQ user) may not act for the user or account the command names,
    /// or the command carried no authenticated user at all. Nothing was sent to IBKR; an order of that id is unaffected.
    /// </summary>
    UpstreamNotAuthorized,

    /// <summary>A ticket's quantity is above the account's maximum per order; the reason names the limit.</summary>
    MaxQuantityExceeded,

    /// <summary>A ticket's value (price × quantity) is above the account's maximum per order; the reason names the limit.</summary>
    MaxNotionalExceeded,

    /// <summary>The account or the user sent more orders per second or per minute than allowed; the reason names the limit.</summary>
    OrderRateExceeded,

    /// <summary>The account already has the maximum number of working orders for this contract and side.</summary>
    MaxWorkingOrdersExceeded,

    /// <summary>Same account, contract, side, quantity and price as a recent order; set intended to place it anyway.</summary>
    ProbableDuplicate,

    /// <summary>The limit price is further from IBKR's reference price than the account's price band allows.</summary>
    OutsidePriceBand,

    /// <summary>A control needed IBKR's reference price and none was available; nothing was sent.</summary>
    ReferencePriceUnavailable,

    /// <summary>Trading is halted for the account, the user or everyone (kill switch); nothing was sent.</summary>
    TradingHalted,

    /// <summary>The order was held while IBKR was unavailable, and IBKR did not come back in time; nothing was sent.</summary>
    HoldExpired,
}
