using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>The unit of a trailing amount.</summary>
[JsonConverter(typeof(LenientEnumConverter<TrailingUnit>))]
public enum TrailingUnit
{
    /// <summary>An absolute price difference.</summary>
    [JsonStringEnumMemberName("amt")]
    Amount,

    /// <summary>A percentage of the price.</summary>
    [JsonStringEnumMemberName("%")]
    Percent,
}
