using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Json;

/// <summary>Serializer settings of the IBKR client: IBKR's exact field names (attributes), no nulls sent, lenient numbers.</summary>
public static class IbkrJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            PropertyNameCaseInsensitive = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
