using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Session;

/// <summary>Body of POST /iserver/auth/ssodh/init (schema brokerageSessionInitRequest). <c>publish</c> must be true.</summary>
public sealed record BrokerageSessionInitRequest(
    [property: JsonPropertyName("publish")] bool Publish,
    [property: JsonPropertyName("compete")] bool Compete);
