using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>IBKR's asset class of the instrument (its <c>secType</c>), for the order types and fields each allows.</summary>
[JsonConverter(typeof(LenientEnumConverter<SecurityType>))]
public enum SecurityType
{
    /// <summary>A stock or ETF (the default when a command leaves the security type out).</summary>
    [JsonStringEnumMemberName("STK")]
    Stock,

    /// <summary>An option.</summary>
    [JsonStringEnumMemberName("OPT")]
    Option,

    /// <summary>A future; US futures orders must say whether a person entered them (<c>manualIndicator</c>).</summary>
    [JsonStringEnumMemberName("FUT")]
    Future,

    /// <summary>A currency pair (forex), e.g. EUR.USD on IDEALPRO; <c>currencyConversion</c> makes it a conversion.</summary>
    [JsonStringEnumMemberName("CASH")]
    Currency,
}
