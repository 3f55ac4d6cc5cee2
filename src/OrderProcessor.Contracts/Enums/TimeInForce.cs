using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>How long an order stays working.</summary>
[JsonConverter(typeof(LenientEnumConverter<TimeInForce>))]
public enum TimeInForce
{
    /// <summary>Until the end of the trading day.</summary>
    [JsonStringEnumMemberName("DAY")]
    Day,

    /// <summary>Until filled or cancelled.</summary>
    [JsonStringEnumMemberName("GTC")]
    GoodTillCancelled,

    /// <summary>Fill what can be filled at once and cancel the rest.</summary>
    [JsonStringEnumMemberName("IOC")]
    ImmediateOrCancel,

    /// <summary>Only in the opening auction.</summary>
    [JsonStringEnumMemberName("OPG")]
    AtTheOpening,

    /// <summary>IBKR's overnight session only (US stocks that trade overnight); ends when the overnight session does.</summary>
    [JsonStringEnumMemberName("OVT")]
    Overnight,

    /// <summary>IBKR's overnight session and then the next trading day (overnight plus day).</summary>
    [JsonStringEnumMemberName("OND")]
    OvernightPlusDay,

    /// <summary>IBKR's <c>PAX</c> time in force, which its order ticket lists for cryptocurrency orders (routed to PAXOS).</summary>
    [JsonStringEnumMemberName("PAX")]
    Pax,
}
