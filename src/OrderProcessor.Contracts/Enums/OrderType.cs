using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>The order types IBKR's Web API accepts, by their IBKR names.</summary>
[JsonConverter(typeof(LenientEnumConverter<OrderType>))]
public enum OrderType
{
    /// <summary>Market order: fills at the best available price.</summary>
    [JsonStringEnumMemberName("MKT")]
    Market,

    /// <summary>Limit order: fills at the limit price or better.</summary>
    [JsonStringEnumMemberName("LMT")]
    Limit,

    /// <summary>Stop (stop-loss) order: becomes a market order when the stop price trades.</summary>
    [JsonStringEnumMemberName("STP")]
    Stop,

    /// <summary>Stop-limit order: becomes a limit order when the stop price trades.</summary>
    [JsonStringEnumMemberName("STOP_LIMIT")]
    StopLimit,

    /// <summary>Trailing stop: a stop order whose stop price follows the market by a trailing amount.</summary>
    [JsonStringEnumMemberName("TRAIL")]
    TrailingStop,

    /// <summary>Trailing stop-limit: a stop-limit order whose stop price follows the market by a trailing amount.</summary>
    [JsonStringEnumMemberName("TRAILLMT")]
    TrailingStopLimit,

    /// <summary>
    /// IBKR's MidPrice order: works at the midpoint of the bid and ask; <c>limitPrice</c> is an optional cap (a BUY
    /// never pays more, a SELL never takes less). US stocks only.
    /// </summary>
    [JsonStringEnumMemberName("MIDPRICE")]
    MidPrice,
}
