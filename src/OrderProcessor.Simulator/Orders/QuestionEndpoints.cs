using System.Text.Json;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Question suppression, which lasts for the current brokerage session only.</summary>
public static class QuestionEndpoints
{
    public const int MaxSuppressedIds = 51;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/iserver/questions/suppress", SuppressAsync);
        api.MapPost("/iserver/questions/suppress/reset", Reset);
    }

    private static async Task<IResult> SuppressAsync(HttpContext context, TradingAccess access)
    {
        var (document, failure) = await JsonBody.ReadAsync(context);
        if (document is null)
            return failure!;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messageIds", out var ids) || ids.ValueKind != JsonValueKind.Array
                || ids.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String))
                return IbkrResults.ServerError("Request body must be {\"messageIds\":[\"o163\",...]}");
            if (ids.GetArrayLength() > MaxSuppressedIds)
                return IbkrResults.ServerError($"At most {MaxSuppressedIds} message ids can be suppressed");
            var caller = Caller.Of(context);
            lock (caller.User.Gate)
            {
                var (session, refusal) = access.Check(caller, requireAccounts: false);
                if (session is null)
                    return refusal!;
                foreach (var id in ids.EnumerateArray())
                    session.SuppressedQuestions.Add(id.GetString()!);
                return Results.Json(new { status = "submitted" });
            }
        }
    }

    private static IResult Reset(HttpContext context, TradingAccess access)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller, requireAccounts: false);
            if (session is null)
                return refusal!;
            session.SuppressedQuestions.Clear();
            return Results.Json(new { status = "submitted" });
        }
    }
}
