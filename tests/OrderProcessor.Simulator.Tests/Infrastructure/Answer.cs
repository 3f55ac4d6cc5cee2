using System.Net;
using System.Text.Json;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>An HTTP answer with its JSON body.</summary>
public sealed record Answer(HttpStatusCode Status, JsonElement Body, string Raw)
{
    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var raw = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrWhiteSpace(raw) ? default : JsonDocument.Parse(raw).RootElement.Clone();
        return new Answer(response.StatusCode, body, raw);
    }

    public bool IsQuestion => Body.ValueKind == JsonValueKind.Array && Body.GetArrayLength() > 0 && Body[0].TryGetProperty("messageIds", out _);

    public bool IsAccepted => Body.ValueKind == JsonValueKind.Array && Body.GetArrayLength() > 0 && Body[0].TryGetProperty("order_id", out _);

    public string? Error => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var e) ? e.GetString() : null;

    public string QuestionId => Body[0].GetProperty("messageIds")[0].GetString()!;

    public string ReplyId => Body[0].GetProperty("id").GetString()!;
}
