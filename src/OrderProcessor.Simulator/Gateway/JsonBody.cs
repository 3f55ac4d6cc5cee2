using System.Text.Json;

namespace OrderProcessor.Simulator.Gateway;

/// <summary>Reads a request body as JSON; content that is not JSON gets IBKR's 500 "invalid content" answer.</summary>
public static class JsonBody
{
    public static async Task<(JsonDocument? Document, IResult? Failure)> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted), null);
        }
        catch (JsonException e)
        {
            return (null, IbkrResults.ServerError("Invalid JSON: " + e.Message));
        }
    }
}
