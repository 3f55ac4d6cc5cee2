using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>Buy or sell.</summary>
[JsonConverter(typeof(LenientEnumConverter<OrderSide>))]
public enum OrderSide
{
    /// <summary>Buy the instrument.</summary>
    [JsonStringEnumMemberName("BUY")]
    Buy,

    /// <summary>Sell the instrument.</summary>
    [JsonStringEnumMemberName("SELL")]
    Sell,
}
