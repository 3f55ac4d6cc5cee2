using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>Where an order is in its lifecycle at the processor.</summary>
[JsonConverter(typeof(LenientEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    /// <summary>The command was accepted and recorded.</summary>
    Received,

    /// <summary>IBKR's what-if is running for it.</summary>
    MarginChecking,

    /// <summary>The margin policy approved it.</summary>
    MarginApproved,

    /// <summary>Being sent to IBKR; committed before the call so a crash can be reconciled.</summary>
    Submitting,

    /// <summary>IBKR accepted it and gave it an order id.</summary>
    Submitted,

    /// <summary>Working at the destination.</summary>
    Working,

    /// <summary>Part of the quantity is filled.</summary>
    PartiallyFilled,

    /// <summary>The whole quantity is filled (final).</summary>
    Filled,

    /// <summary>A cancel was requested and is not yet confirmed.</summary>
    PendingCancel,

    /// <summary>Cancelled (final).</summary>
    Cancelled,

    /// <summary>Refused: by validation, the margin policy, an unanswered question or IBKR (final).</summary>
    Rejected,

    /// <summary>The processor gave up after retries; the reason is kept (final).</summary>
    Failed,

    /// <summary>
    /// The processor cannot tell what became of the order at IBKR and will not act on it alone (not final): an earlier
    /// send may have reached IBKR longer ago than IBKR's duplicate protection lasts, or IBKR no longer lists the order
    /// and cannot say how it ended. The reason says which. An operator settles it (<c>orders attention</c>); news from
    /// IBKR about the order still moves it on.
    /// </summary>
    NeedsAttention,

    /// <summary>
    /// Accepted; nothing of it is at IBKR; IBKR is unavailable (a maintenance window or an outage): it is sent when IBKR is
    /// back, or rejected (HoldExpired) when IBKR stays away longer than the processor holds orders (not final).
    /// </summary>
    Held,
}
