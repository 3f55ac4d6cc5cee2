using System.Text.Json;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.PiTrade;

/// <summary>PiTrade's <c>POST /brokerage-bearer-token</c>: a partner JWT buys a bearer token for one user and one IP.</summary>
public static class BearerTokenEndpoint
{
    public const string Path = "/brokerage-bearer-token";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost(Path, IssueAsync);

    private static async Task<IResult> IssueAsync(
        HttpContext context, PartnerJwtValidator jwt, BearerTokenStore tokens, UserDirectory users, SimulatorCounters counters)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var partnerJwt = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var failure = jwt.Validate(partnerJwt);
        if (failure is not null)
            return Results.Json(new { error = failure }, statusCode: StatusCodes.Status401Unauthorized);

        string? userId;
        string? ip;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = body.RootElement;
            userId = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("userId", out var u) && u.ValueKind == JsonValueKind.String
                ? u.GetString() : null;
            ip = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ip", out var i) && i.ValueKind == JsonValueKind.String
                ? i.GetString() : null;
        }
        catch (JsonException)
        {
            return Results.Json(new { error = "request body must be JSON {\"userId\":...,\"ip\":...}" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrWhiteSpace(userId))
            return Results.Json(new { error = "userId is required" }, statusCode: StatusCodes.Status400BadRequest);
        Caller.SetUserId(context, userId);
        if (users.AccountsOf(userId) is null)
            return Results.Json(new { error = $"unknown userId '{userId}'" }, statusCode: StatusCodes.Status400BadRequest);

        var token = tokens.Issue(userId, string.IsNullOrWhiteSpace(ip) ? ClientIp.Of(context) : ip);
        counters.BearerTokenIssued();
        return Results.Json(new BearerTokenResponse(token.Value, "Bearer", (int)tokens.Lifetime.TotalSeconds, token.Ip));
    }
}
