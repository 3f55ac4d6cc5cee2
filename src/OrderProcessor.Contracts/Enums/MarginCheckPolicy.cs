using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>Whether and how a PlaceOrder is checked with IBKR's what-if before it is submitted.</summary>
[JsonConverter(typeof(LenientEnumConverter<MarginCheckPolicy>))]
public enum MarginCheckPolicy
{
    /// <summary>No margin check: the order is submitted directly.</summary>
    None,

    /// <summary>Run the what-if and reject the order when IBKR reports an error for it.</summary>
    RejectOnBrokerError,

    /// <summary>As RejectOnBrokerError, and also reject when the post-trade initial margin would exceed the configured share of equity with loan value.</summary>
    RejectOnExcessInitialMargin,
}
